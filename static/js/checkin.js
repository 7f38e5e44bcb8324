// Check-in on the day: search as you type, tick people in without reloading, and scan QR codes with the camera.
// No framework. Every page also works without this file (GET search form, POST buttons that redirect back).
// The server answers requests marked "X-Requested-With: fetch" with JSON: {ok, message, counts, results}.
(function () {
  "use strict";

  var HEADERS = { "X-Requested-With": "fetch", "Accept": "application/json" };

  function setCounts(counts) {
    if (!counts) { return; }
    Object.keys(counts).forEach(function (key) {
      var nodes = document.querySelectorAll('[data-count="' + key + '"]');
      for (var i = 0; i < nodes.length; i += 1) { nodes[i].textContent = counts[key]; }
    });
  }

  function say(text, ok) {
    var box = document.getElementById("checkin-message");
    if (!box) { return; }
    box.textContent = text || "";
    box.className = "checkin-message " + (ok ? "ok" : "error");
  }

  function readJson(response) {
    // 400 answers carry a message too (a refusal); anything else is a failure of the page.
    if (response.status !== 200 && response.status !== 400) { throw new Error(String(response.status)); }
    return response.json();
  }

  // --- the list: search as you type, tick and undo -----------------------------------------------------------
  function setUpList() {
    var form = document.getElementById("checkin-search");
    var results = document.getElementById("checkin-results");
    if (!form || !results) { return; }
    var input = form.querySelector("input[name=q]");
    var url = form.getAttribute("data-partial-url");
    var sequence = 0;
    var timer = null;

    function search() {
      var q = input.value.trim();
      var mine = (sequence += 1);
      fetch(url + "?partial=1&q=" + encodeURIComponent(q), { credentials: "same-origin", headers: HEADERS })
        .then(readJson)
        .then(function (data) {
          if (mine !== sequence) { return; } // an older answer arriving late: ignore it
          results.innerHTML = data.results;
          setCounts(data.counts);
          if (window.history && window.history.replaceState) {
            window.history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : window.location.pathname);
          }
        })
        .catch(function () { /* the GET form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      search();
    });

    results.addEventListener("submit", function (event) {
      var target = event.target;
      if (!target.hasAttribute("data-checkin")) { return; }
      event.preventDefault();
      var question = target.getAttribute("data-confirm");
      if (question && !window.confirm(question)) { return; }
      var data = new FormData(target);
      data.set("q", input.value.trim());
      var buttons = target.querySelectorAll("button");
      for (var i = 0; i < buttons.length; i += 1) { buttons[i].disabled = true; }
      sequence += 1; // a search still on its way must not overwrite the answer to this tick
      fetch(target.action, { method: "POST", body: data, credentials: "same-origin", headers: HEADERS })
        .then(readJson)
        .then(function (answer) {
          if (answer.results !== undefined) { results.innerHTML = answer.results; }
          setCounts(answer.counts);
          say(answer.message, answer.ok);
        })
        .catch(function () { target.submit(); });
    });
  }

  // --- the scan page: camera with BarcodeDetector, and the paste field ---------------------------------------
  function setUpScan() {
    var form = document.getElementById("scan-form");
    if (!form) { return; }
    var field = form.querySelector("input[name=token]");
    var url = form.getAttribute("data-scan-url");
    var busy = false;
    var lastToken = "";
    var lastAt = 0;

    function submitToken(token) {
      token = (token || "").trim();
      if (!token || busy) { return; }
      // The camera sees the same code many times a second: send it once, again only after a pause.
      if (token === lastToken && Date.now() - lastAt < 4000) { return; }
      lastToken = token;
      lastAt = Date.now();
      busy = true;
      var data = new FormData(form);
      data.set("token", token);
      fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: HEADERS })
        .then(readJson)
        .then(function (answer) {
          setCounts(answer.counts);
          say(answer.message, answer.ok);
          showWalkIn(answer.walk_in_url);
          field.value = "";
          field.focus();
          if (answer.ok && navigator.vibrate) { navigator.vibrate(80); }
        })
        .catch(function () { form.submit(); })
        .then(function () { busy = false; });
    }

    function showWalkIn(href) {
      var link = document.getElementById("scan-walk-in");
      if (!href) { if (link) { link.parentNode.removeChild(link); } return; }
      if (!link) {
        link = document.createElement("a");
        link.id = "scan-walk-in";
        link.className = "button secondary";
        link.textContent = form.getAttribute("data-walk-in-label") || "+";
        var holder = document.createElement("p");
        holder.appendChild(link);
        document.getElementById("checkin-message").insertAdjacentElement("afterend", holder);
      }
      link.href = href;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      lastToken = ""; // typed or pasted on purpose: always send
      submitToken(field.value);
    });

    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return; // no camera reading here: the paste field is the way (the note on the page says so)
    }
    var camera = document.getElementById("scan-camera");
    var video = document.getElementById("checkin-video");
    var start = document.getElementById("scan-start");
    var stop = document.getElementById("scan-stop");
    var stream = null;
    var detector = null;
    camera.hidden = false;

    function loop() {
      if (!stream) { return; }
      detector.detect(video)
        .then(function (codes) {
          if (codes.length) { submitToken(codes[0].rawValue); }
        })
        .catch(function () { /* a frame that could not be read */ })
        .then(function () { if (stream) { window.setTimeout(loop, 250); } });
    }

    start.addEventListener("click", function () {
      window.BarcodeDetector.getSupportedFormats()
        .then(function (formats) {
          if (formats.indexOf("qr_code") === -1) { throw new Error("no qr_code"); }
          detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          return video.play();
        })
        .then(function () { start.hidden = true; stop.hidden = false; loop(); })
        .catch(function () {
          camera.hidden = true;
          say(camera.getAttribute("data-failed") || "", false);
        });
    });
    stop.addEventListener("click", function () {
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
      stream = null;
      start.hidden = false;
      stop.hidden = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpList();
    setUpScan();
  });
})();
