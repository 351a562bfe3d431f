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

// The schedule form's "Vrije plaatsen tonen" is a GET form of its own that carries the other
// fields as the server last drew them. With JavaScript it carries what is in the form now, so a
// date or a dagdeel ticked before choosing the location is kept too. Names as /roosters/nieuw
// reads them.
const roomChoice = document.querySelector("form.room-choice");
const scheduleForm = document.querySelector("form.schedule-form");
if (roomChoice && scheduleForm) {
  const PARAMS = { client_id: "client", funding: "financiering", allocation_id: "toewijzing", contract_id: "contract", product_id: "product", valid_from: "vanaf", valid_until: "tot", week_parity: "weken", waitlist_entry_id: "wachtlijst" };
  roomChoice.addEventListener("submit", () => {
    // The form's own fields are sent as they are now; the searches (plaats, contractzoek) stay.
    const own = new Set([...Object.values(PARAMS), "dagdelen"]);
    roomChoice.querySelectorAll('input[type="hidden"]').forEach((input) => {
      if (own.has(input.name)) input.remove();
    });
    const data = new FormData(scheduleForm);
    const add = (name, value) => {
      if (!value) return;
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      roomChoice.append(input);
    };
    for (const [field, param] of Object.entries(PARAMS)) add(param, data.get(field));
    add("dagdelen", data.getAll("slots").join(","));
  });
}
