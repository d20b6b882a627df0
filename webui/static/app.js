// Progressive enhancement only: the site works the same without JavaScript.
// Changing the site or the sort order re-runs the current search at once.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.search-form");
  if (!form) { return; }
  form.querySelectorAll(".filters select").forEach(function (select) {
    select.addEventListener("change", function () {
      var q = form.querySelector("input[name=q]");
      var dated = form.querySelector("input[name=from]").value || form.querySelector("input[name=to]").value;
      if ((q && q.value.trim()) || dated || select.name === "site" || select.value !== "relevance") {
        form.submit();
      }
    });
  });
});
