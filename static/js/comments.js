// The reply form, improved: "Reply" moves the form under that reply (with "Cancel reply"), and saved
// details are filled in from the reader's own cookie. Without this script everything still works:
// "Reply" links reload the page with the form in place (?replytocom=ID) and the form is just empty.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  var form = document.getElementById("commentform");
  if (!respond || !form) return;
  var home = document.getElementById("respond-home");
  var parentInput = document.getElementById("comment_parent");
  var replyTo = document.getElementById("reply-to");
  var replyToName = document.getElementById("reply-to-name");
  var cancel = document.getElementById("cancel-comment-reply-link");

  function savedDetails() {
    var match = document.cookie.match(/(?:^|;\s*)comment_author=([^;]*)/);
    if (!match) return null;
    try {
      return JSON.parse(decodeURIComponent(match[1]));
    } catch (error) {
      return null;
    }
  }

  function prefill() {
    var details = savedDetails();
    if (!details) return;
    ["author", "email", "url"].forEach(function (name) {
      var field = form.elements[name];
      if (field && !field.value && typeof details[name] === "string") field.value = details[name];
    });
    if (form.elements.save_details) form.elements.save_details.checked = true;
  }

  function moveUnder(link) {
    var id = link.getAttribute("data-comment-id");
    var body = document.getElementById("div-comment-" + id);
    if (!body) return false;
    body.parentNode.insertBefore(respond, body.nextSibling);
    parentInput.value = id;
    replyToName.textContent = link.getAttribute("data-author") || "";
    replyTo.hidden = false;
    form.elements.comment.focus();
    return true;
  }

  function moveHome() {
    home.appendChild(respond);
    parentInput.value = "0";
    replyTo.hidden = true;
    form.elements.comment.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-reply-link");
    if (link && moveUnder(link)) event.preventDefault();
  });
  cancel.addEventListener("click", function (event) {
    event.preventDefault();
    moveHome();
  });
  prefill();
})();
