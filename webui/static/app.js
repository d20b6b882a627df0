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

// The citation line: selected whole when focused, and a "copy" button (hidden without script).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.citation-text").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) { return; }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () {
        button.textContent = "Đã sao chép";
        setTimeout(function () { button.textContent = label; }, 2000);
      };
      input.focus();
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          if (document.execCommand("copy")) { done(); }
        });
      } else if (document.execCommand("copy")) {   // plain http on the office network: no Clipboard API
        done();
      }
    });
  });
});
