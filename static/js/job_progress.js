// Progress bar for a background job: polls the job's status URL and reloads the page when it has finished.
// Markup: <div data-job-progress data-status-url="/jobs/1/"> with a <progress>, [data-job-percent] and
// [data-job-message] inside. No framework; stops polling after repeated failures.
(function () {
  "use strict";
  function watch(box) {
    var url = box.getAttribute("data-status-url");
    var bar = box.querySelector("progress");
    var percent = box.querySelector("[data-job-percent]");
    var message = box.querySelector("[data-job-message]");
    var failures = 0;
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (job) {
          failures = 0;
          if (bar) { bar.value = job.percent; bar.textContent = job.percent + "%"; }
          if (percent) { percent.textContent = job.percent; }
          if (message && job.message) { message.textContent = job.message; }
          if (job.finished) { window.location.reload(); return; }
          window.setTimeout(poll, 1000);
        })
        .catch(function () {
          failures += 1;
          if (failures < 10) { window.setTimeout(poll, 3000); }
        });
    }
    poll();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-job-progress]");
    for (var i = 0; i < boxes.length; i += 1) { watch(boxes[i]); }
  });
})();
