// Running totals under the voucher lines in the admin: debits, credits and whether they balance.
(function () {
  "use strict";
  const out = document.getElementById("voucher-totals");
  if (!out) { return; }
  function fen(input) {
    const value = (input.value || "").trim();
    if (!/^\d+(\.\d{1,2})?$/.test(value)) { return 0; }
    const [yuan, cents = ""] = value.split(".");
    return parseInt(yuan, 10) * 100 + parseInt((cents + "00").slice(0, 2), 10);
  }
  function live(input) {
    const row = input.closest("tr");
    const del = row && row.querySelector("input[name$='-DELETE']");
    return !(del && del.checked) && !(row && row.classList.contains("empty-form"));
  }
  function sum(suffix) {
    return Array.from(document.querySelectorAll("input[name$='-" + suffix + "']"))
      .filter((input) => /^lines-\d+-/.test(input.name) && live(input))
      .reduce((total, input) => total + fen(input), 0);
  }
  // As core.money.money() prints a sum: "1,234.50".
  function money(cents) {
    return (cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  function update() {
    const debit = sum("debit"), credit = sum("credit");
    const ok = debit === credit && debit > 0;
    out.textContent = (ok ? out.dataset.balanced : out.dataset.unbalanced) + out.dataset.colon + out.dataset.debits + " " +
      money(debit) + ", " + out.dataset.credits + " " + money(credit);
    out.className = ok ? "help" : "errornote";
  }
  document.addEventListener("input", update);
  document.addEventListener("change", update);
  document.addEventListener("formset:added", update);
  update();
})();
