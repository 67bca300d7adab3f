// Progressive enhancement of the steering board's table (templates/board/index.html).
// Without this file every column header is a link that reloads the page sorted by it;
// so it stays when the table has more than one page (app/board/views.py PAGE_SIZE).
// With it, a click sorts the rows in place, at once, in exactly the server's order
// (app/services/board.py sort_rows: missing values last, ties by idea id ascending),
// and updates aria-sort, the caption, the header links, the filter form's hidden
// fields and the address (history.replaceState), so that a reload shows the same.
"use strict";

(() => {
  const table = document.querySelector("[data-board-table]");
  // A table split into pages is sorted by the server: the browser holds only one page.
  if (!table || table.hasAttribute("data-board-paged")) {
    return;
  }
  const tbody = table.tBodies[0];
  const headers = Array.from(table.tHead.rows[0].cells);
  const sortable = headers.filter((th) => th.dataset.sortKey);
  const filters = document.querySelector("[data-board-filters]");
  const status = document.querySelector("[data-sort-status]");
  const labels = table.dataset;

  function columnLabel(th) {
    // The link's own text, without the icon and the hidden hint.
    const link = th.querySelector("a");
    return link.firstChild.textContent.trim();
  }

  function current() {
    const th = sortable.find((cell) => cell.hasAttribute("aria-sort"));
    return th
      ? { key: th.dataset.sortKey, descending: th.getAttribute("aria-sort") === "descending" }
      : null;
  }

  // Strings compare by UTF-16 code units, as the server does (text_key + utf-16-be).
  function compareText(a, b) {
    if (a < b) {
      return -1;
    }
    return a > b ? 1 : 0;
  }

  function sortRows(index, type, descending) {
    const rows = Array.from(tbody.rows).map((row) => {
      const raw = row.cells[index].dataset.sortValue;
      let value = raw === "" || raw === undefined ? null : raw;
      if (value !== null && type === "number") {
        value = Number.parseFloat(value);
      }
      return { row, value, id: Number.parseInt(row.dataset.ideaId, 10) };
    });
    rows.sort((a, b) => {
      if (a.value === null || b.value === null) {
        if (a.value === null && b.value === null) {
          return a.id - b.id;
        }
        return a.value === null ? 1 : -1;
      }
      let order = type === "number" ? a.value - b.value : compareText(a.value, b.value);
      if (descending) {
        order = -order;
      }
      return order || a.id - b.id;
    });
    const fragment = document.createDocumentFragment();
    for (const entry of rows) {
      fragment.append(entry.row);
    }
    tbody.append(fragment);
  }

  function urlFor(key, descending) {
    const url = new URL(window.location.href);
    url.searchParams.set("sort", key);
    url.searchParams.set("dir", descending ? "desc" : "asc");
    return url;
  }

  function show(key, descending) {
    for (const th of sortable) {
      const isCurrent = th.dataset.sortKey === key;
      const next = isCurrent ? !descending : th.dataset.defaultDir === "desc";
      if (isCurrent) {
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      } else {
        th.removeAttribute("aria-sort");
      }
      th.querySelector("[data-sort-icon]").textContent = isCurrent
        ? descending
          ? "▼"
          : "▲"
        : "↕";
      th.querySelector("[data-sort-hint]").textContent = `, ${
        next ? labels.hintDescending : labels.hintAscending
      }`;
      const link = th.querySelector("a");
      const target = urlFor(th.dataset.sortKey, next);
      link.href = target.pathname + target.search;
    }
    const th = sortable.find((cell) => cell.dataset.sortKey === key);
    const text = labels.sortTemplate
      .replace("{column}", columnLabel(th))
      .replace("{direction}", descending ? labels.labelDescending : labels.labelAscending);
    table.querySelector("[data-sort-state]").textContent = text;
    if (status) {
      status.textContent = text;
    }
    if (filters) {
      filters.querySelector("[data-board-sort]").value = key;
      filters.querySelector("[data-board-dir]").value = descending ? "desc" : "asc";
    }
  }

  function sortBy(th) {
    const now = current();
    const key = th.dataset.sortKey;
    const descending =
      now && now.key === key ? !now.descending : th.dataset.defaultDir === "desc";
    sortRows(headers.indexOf(th), th.dataset.sortType, descending);
    show(key, descending);
    const url = urlFor(key, descending);
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  }

  for (const th of sortable) {
    th.querySelector("a").addEventListener("click", (event) => {
      // A click with a modifier (new tab, new window) keeps the link's own meaning.
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      sortBy(th);
    });
  }
})();
