// Progressive enhancement only: the site works the same without JavaScript.
// Changing the site or the sort order re-runs the current search at once; so does a quick date
// choice (which clears typed dates, since typed dates win over a quick choice). Choosing
// "Khoảng tùy chọn" moves to the first date; typing a date selects it.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.search-form");
  if (!form) { return; }
  var from = form.querySelector("input[name=from]");
  var to = form.querySelector("input[name=to]");
  var custom = form.querySelector("input[name=range][value=custom]");
  form.querySelectorAll(".filters select").forEach(function (select) {
    select.addEventListener("change", function () {
      var q = form.querySelector("input[name=q]");
      var filtered = from.value || to.value || form.querySelector("input[name=range]:checked:not([value=''])");
      if ((q && q.value.trim()) || filtered || select.name === "site" || select.value !== "relevance") {
        form.submit();
      }
    });
  });
  form.querySelectorAll("input[name=range]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (radio.value === "custom") {
        from.focus();
        return;
      }
      from.value = "";
      to.value = "";
      form.submit();
    });
  });
  [from, to].forEach(function (field) {
    field.addEventListener("input", function () {
      if (custom) { custom.checked = true; }
    });
  });
});
