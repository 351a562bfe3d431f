// Week rosters: a print button for those with JavaScript; without it, the browser's own
// print command gives the same page (the print stylesheet does the work).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
