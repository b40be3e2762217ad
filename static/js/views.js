// Counts a read for "Most Popular" once the page has loaded, even when the page came from a cache.
(function () {
  var story = document.querySelector("[data-view-url]");
  if (story && navigator.sendBeacon) {
    window.addEventListener("load", function () { navigator.sendBeacon(story.dataset.viewUrl); });
  }
})();
