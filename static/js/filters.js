// The case-study filters: each group is closed on a small screen unless something in it
// is ticked (so the results come soon after), and opened here on a wider screen, where
// there is room to show every option beside the results.
if (window.matchMedia("(min-width: 40.0625em)").matches) {
  document.querySelectorAll("details[data-filter-group]").forEach((group) => {
    group.open = true;
  });
}
