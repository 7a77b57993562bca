/* The follow-up report form: the deviation box turns red when the status is red or yellow. */
(function () {
  var box = document.querySelector("fieldset.deviation");
  function update() {
    var checked = document.querySelector("input[name=status]:checked");
    var needed = checked && (checked.value === "red" || checked.value === "yellow");
    box.style.borderColor = needed ? "#d32f2f" : "#f2c200";
  }
  document.querySelectorAll("input[name=status]").forEach(function (el) { el.addEventListener("change", update); });
  update();
})();
