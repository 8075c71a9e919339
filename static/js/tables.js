/* Team Mirror: tables on a phone. Below 576px wide mirror.css stacks each row of a
   table into a card, one line per cell; this script labels every cell with its
   column's heading (data-label, shown by CSS through ::before) and states the table
   roles explicitly, so that screen readers still read a table whatever its display.
   Tables swapped in later (the retro's steps) are labelled too. */
(function () {
  "use strict";

  function headings(table) {
    var head = table.tHead;
    var row = head && head.rows.length ? head.rows[head.rows.length - 1] : null;
    var names = [];
    if (!row) { return names; }
    Array.prototype.forEach.call(row.cells, function (cell) {
      var span = cell.colSpan || 1;
      var text = (cell.textContent || "").replace(/\s+/g, " ").trim();
      for (var i = 0; i < span; i += 1) { names.push(text); }
    });
    return names;
  }

  function label(table) {
    if (table.dataset.stacked === "1") { return; }
    table.dataset.stacked = "1";
    var names = headings(table);
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody, tfoot"), function (g) {
      g.setAttribute("role", "rowgroup");
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var inHead = cell.parentNode.parentNode === table.tHead;
        if (cell.tagName === "TH") {
          cell.setAttribute("role", inHead ? "columnheader" : "rowheader");
        } else {
          cell.setAttribute("role", "cell");
        }
        var name = names[column];
        if (!inHead && name && !cell.hasAttribute("data-label") && cell.tagName === "TD") {
          cell.setAttribute("data-label", name);
        }
        column += cell.colSpan || 1;
      });
    });
  }

  function labelAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("table"), label);
  }

  function start() {
    labelAll(document);
    if (window.MutationObserver) {
      new MutationObserver(function () { labelAll(document); }).observe(document.body, {
        childList: true,
        subtree: true,
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
