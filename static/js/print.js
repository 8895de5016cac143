// Print buttons: hidden in the page's HTML, shown and wired up here, so a reader
// without JavaScript never meets a button that does nothing (they have the link
// to the printable page instead).
document.querySelectorAll("[data-print-button]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
