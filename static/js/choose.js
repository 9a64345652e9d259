// "Help me choose": after moving to another step, put focus on the step's heading so screen
// readers announce it and keyboard users start from the question. The page works without this.
// A visitor who has already reached a field (a fast typist, or a slow page) keeps their focus.
(function () {
  "use strict";
  var heading = document.querySelector("[data-focus-on-load='true']");
  var active = document.activeElement;
  if (heading && (!active || active === document.body)) {
    heading.focus();
  }
})();
