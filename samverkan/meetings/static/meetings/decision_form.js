/* The decision form: show the fieldset of the chosen effect. */
(function () {
  var radios = document.querySelectorAll('input[name="effect"]');
  function show() {
    var value = (document.querySelector('input[name="effect"]:checked') || {}).value || "";
    document.querySelectorAll("[data-effect]").forEach(function (el) {
      el.hidden = el.getAttribute("data-effect") !== value;
    });
  }
  radios.forEach(function (r) { r.addEventListener("change", show); });
  show();
})();
