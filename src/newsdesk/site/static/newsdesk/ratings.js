/* Reader ratings: vote without a reload and keep the numbers live.
   The page works without this file (a form POST that redirects back); with it, the numbers
   are fetched when the box comes near the screen (full pages may be cached, so the page's
   own may be stale) and updated in place after a vote. */
(function () {
  "use strict";
  var box = document.getElementById("rating");
  if (!box || !window.fetch) return;
  var form = document.getElementById("rating-form");
  var feedback = document.getElementById("rating-feedback");
  var thanks = document.getElementById("rating-thanks");
  var error = document.getElementById("rating-error");
  var submit = form.querySelector(".rating-submit");
  var busy = false;

  function show(data) {
    document.getElementById("rating-summary").textContent =
      "Average rating " + data.average_display + " / 5. Vote count: " + data.count;
    document.getElementById("rating-empty").hidden = data.count > 0;
    // the average as partly filled stars: 24 units of the SVG per star
    var fill = document.getElementById("rating-average-fill");
    if (fill) fill.setAttribute("width", String(Math.round((data.average || 0) * 240) / 10));
    if (data.form) form.elements.form.value = data.form;
    if (data.your_vote) {
      var mine = form.querySelector('input[name="stars"][value="' + data.your_vote + '"]');
      if (mine) mine.checked = true;
    }
    box.dataset.count = data.count;
  }

  function fail(message) {
    error.textContent = message;
    error.hidden = false;
  }

  function send(withFeedback) {
    if (busy) return;  // one vote in flight at a time: no double submit
    // urlencoded, like the form without JavaScript: the server's short road for votes reads it
    var body = new URLSearchParams(new FormData(form));
    if (!withFeedback) body.delete("feedback");
    busy = true;
    error.hidden = true;
    box.setAttribute("aria-busy", "true");
    fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                        headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json().then(function (d) { return [r, d]; }); })
      .then(function (pair) {
        var r = pair[0], data = pair[1];
        if (!r.ok) { fail(data.error || "Your vote was not counted."); return; }
        show(data);
        thanks.hidden = false;
        var low = Number(body.get("stars")) <= 2;
        feedback.classList.toggle("rating-feedback-open", low && data.ask_feedback);
        submit.hidden = !(low && data.ask_feedback);
        submit.textContent = "Send feedback";
        if (withFeedback) { form.elements.feedback.value = ""; thanks.textContent = "Thank you for your feedback!"; }
      })
      .catch(function () { fail("Your vote could not be sent. Check your connection and try again."); })
      .then(function () { busy = false; box.removeAttribute("aria-busy"); });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "stars") send(false);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(true);
  });
  submit.hidden = true;  // a star click votes at once; the button returns for feedback

  var asked = false;
  function numbers() {
    if (asked) return;
    asked = true;
    fetch(box.dataset.numbers, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) show(data); })
      .catch(function () {});
  }
  // The box sits at the foot of the story: ask for the live numbers (and the reader's vote)
  // when it comes near the screen, or when the reader reaches the form first, not while the
  // page is still drawing its first screen.
  form.addEventListener("focusin", numbers);
  if (window.IntersectionObserver) {
    var watch = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { watch.disconnect(); numbers(); }
    }, {rootMargin: "600px 0px"});
    watch.observe(box);
  } else {
    numbers();
  }
})();
