// A learner's progress, kept in this browser only (localStorage; nothing leaves the machine).
// On a lesson page: which options of each quiz the learner opened, shown open again on reload;
// a quiz is right when the options opened first are its right ones, none of the wrong ones.
// On a country's index: answered / right / total for each lesson, and the course record as CSV.
// Without storage (a private window, storage turned off) pages work the same and nothing is kept.
(function () {
  "use strict";
  var store = null;
  try {
    store = window.localStorage;
    store.getItem("jlnlearn");
  } catch (error) {
    store = null;
  }
  var lang = document.documentElement.lang || "en";
  var PREFIX = "jlnlearn:" + lang + ":";

  function read(key) {
    try {
      return store ? JSON.parse(store.getItem(key)) : null;
    } catch (error) {
      return null;
    }
  }

  function write(key, value) {
    try {
      if (store) store.setItem(key, JSON.stringify(value));
    } catch (error) { /* storage full or refused: the page goes on */ }
  }

  function verdict(options, opened) {
    var rights = 0, seen = 0;
    options.forEach(function (option) { if (option.classList.contains("right")) rights += 1; });
    if (!rights) return null;  // a number to read, not an option to choose
    for (var k = 0; k < opened.length; k += 1) {
      if (options[opened[k]].classList.contains("wrong")) return false;
      seen += 1;
      if (seen === rights) return true;
    }
    return null;  // not finished: more right options to open
  }

  function counts(record) {
    var answered = 0, right = 0;
    Object.keys(record.answers || {}).forEach(function (index) {
      var answer = record.answers[index];
      if (answer.opened.length) answered += 1;
      if (answer.right === true) right += 1;
    });
    return {answered: answered, right: right, total: record.total || 0};
  }

  var quizzes = document.querySelectorAll(".jlnlearn-quiz");
  if (quizzes.length) {
    var parts = location.pathname.split("/");
    var key = PREFIX + decodeURIComponent(parts[parts.length - 2]) + "/"
      + decodeURIComponent(parts[parts.length - 1]).replace(/\.html$/, "");
    var record = read(key) || {answers: {}};
    record.total = quizzes.length;
    quizzes.forEach(function (quiz, index) {
      var options = Array.prototype.slice.call(quiz.querySelectorAll("details"));
      var kept = record.answers[index];
      options.forEach(function (option, place) {
        if (kept && kept.opened.indexOf(place) >= 0) option.open = true;
        option.addEventListener("toggle", function () {
          if (!option.open) return;
          var answer = record.answers[index] || {opened: []};
          if (answer.opened.indexOf(place) < 0) answer.opened.push(place);
          answer.right = verdict(options, answer.opened);
          record.answers[index] = answer;
          record.updated = new Date().toISOString().slice(0, 10);
          write(key, record);
        });
      });
    });
    write(key, record);
  }

  var list = document.querySelector("[data-progress-folder]");
  if (!list || !store) return;
  var folder = list.getAttribute("data-progress-folder");
  var rows = [];
  list.querySelectorAll("[data-progress]").forEach(function (cell) {
    var stem = cell.getAttribute("data-progress");
    var record = read(PREFIX + folder + "/" + stem);
    if (!record || !record.total) return;
    var got = counts(record);
    cell.textContent = cell.getAttribute("data-template").replace("{answered}", got.answered)
      .replace("{right}", got.right).replace("{total}", got.total);
    rows.push([stem, folder, record.updated || "", got.answered, got.right, got.total]);
  });
  var button = document.getElementById("course-record");
  if (!button || !rows.length) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var lines = [["lesson", "country", "date", "answered", "right", "total"]].concat(rows);
    var text = lines.map(function (row) {
      return row.map(function (cell) { return '"' + String(cell).replace(/"/g, '""') + '"'; }).join(",");
    }).join("\n") + "\n";
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], {type: "text/csv"}));
    link.download = "course-record-" + folder + "-" + lang + ".csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
})();
