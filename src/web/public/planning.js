// The print page's "Afdrukken" button: shown only when JavaScript runs (without it, the hint
// to use the browser's own print command stays).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
document.querySelectorAll(".print-hint").forEach((hint) => {
  hint.hidden = true;
});
