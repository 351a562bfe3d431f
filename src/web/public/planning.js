// The print page's "Afdrukken" button: shown only when JavaScript runs (without it, the hint
// to use the browser's own print command stays).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
document.querySelectorAll(".print-hint").forEach((hint) => {
  hint.hidden = true;
});

// The schedule form's "om de week, te beginnen in week N": the server names the weeks for the
// first day it was given; when the first day changes, name them again (and which of even/oneven
// is "this week"), the same way src/web/rhythm.ts does. Without JavaScript the page is right
// after the next submit.
function isoWeek(date) {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  return Math.ceil(((d - yearStart) / 86400000 + 1) / 7);
}
const validFrom = document.getElementById("f-valid_from");
const thisWeek = document.querySelector('input[name="week_parity"][data-start="this"]');
const nextWeek = document.querySelector('input[name="week_parity"][data-start="next"]');
if (validFrom && thisWeek && nextWeek) {
  validFrom.addEventListener("change", () => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(validFrom.value);
    if (!m) return;
    const first = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    const own = isoWeek(first);
    const next = isoWeek(new Date(first.getTime() + 7 * 86400000));
    const checked = thisWeek.checked ? thisWeek : nextWeek.checked ? nextWeek : null;
    thisWeek.value = own % 2 === 1 ? "oneven" : "even";
    nextWeek.value = thisWeek.value === "even" ? "oneven" : "even";
    for (const [input, week] of [[thisWeek, own], [nextWeek, next]]) {
      const label = input.parentElement.querySelector(".parity-label");
      if (label) label.textContent = label.textContent.replace(/\d+$/, String(week));
    }
    if (checked) checked.checked = true;
  });
}
