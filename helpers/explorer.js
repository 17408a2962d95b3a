// The static view of an explorer (helpers/explorers.py): every frame is pre-rendered as a
// PNG data URI; the range inputs pick one. Inlined once per explorer, with ROOT_ID replaced
// by the id of the explorer's <div>.
(function (root) {
  var data = JSON.parse(root.querySelector(".dnl-explorer-data").textContent);
  var inputs = root.querySelectorAll("input[type=range]");
  var img = root.querySelector(".dnl-explorer-frame");
  function show() {
    var key = [];
    inputs.forEach(function (input, k) {
      key.push(input.value);
      input.nextElementSibling.textContent = data.labels[k][input.value];
    });
    img.src = data.frames[key.join(",")];
  }
  inputs.forEach(function (input) { input.addEventListener("input", show); });
})(document.getElementById("ROOT_ID"));
