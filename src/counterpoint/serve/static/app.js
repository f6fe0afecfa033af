// counterpoint web app: the only script besides the report's (report.js). No data leaves the page.
(function () {
  var add = document.getElementById("add-input");
  if (add) {
    add.addEventListener("click", function () {
      var boxes = document.querySelectorAll("form.compare label");
      var last = boxes[boxes.length - 1];
      var copy = last.cloneNode(true);
      copy.querySelector("textarea").value = "";
      copy.firstChild.textContent = "Article " + (boxes.length + 1);
      last.after(copy);
    });
  }
})();
