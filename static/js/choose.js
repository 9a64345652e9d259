// "Help me choose": after moving to another step, put focus on the step's heading so screen
// readers announce it and keyboard users start from the question. The page works without this.
(function () {
  "use strict";
  var heading = document.querySelector("[data-focus-on-load='true']");
  if (heading) {
    heading.focus();
  }
})();
