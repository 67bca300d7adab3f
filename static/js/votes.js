// Progressive enhancement of the idea pages; every action works without this file.
//  - Vote forms ([data-vote-form]) send with fetch and update the counts in place.
//  - The idea form suggests similar ideas ([data-similar-url]) while the title is typed.
"use strict";

(() => {
  // ------------------------------------------------------------------ votes

  function submitWithoutScript(form, value) {
    // The plain form post: the server redirects back with a message. form.submit() does
    // not fire "submit" again, and carries no button, so the value goes in a hidden field.
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "value";
    input.value = value;
    form.append(input);
    form.submit();
  }

  function showVote(form, result) {
    const widget = form.closest("[data-vote-widget]") || document;
    widget.querySelector('[data-vote-count="up"]').textContent = result.votes_up;
    widget.querySelector('[data-vote-count="down"]').textContent = result.votes_down;
    for (const button of form.querySelectorAll('button[name="value"]')) {
      if (button.value === "up" || button.value === "down") {
        button.setAttribute("aria-pressed", String(button.value === result.own_vote));
      }
    }
    const retract = form.querySelector("[data-vote-retract]");
    if (retract) {
      const hide = result.own_vote === "none";
      if (hide && document.activeElement === retract) {
        // Do not leave the keyboard focus on a button that disappears.
        form.querySelector('button[value="up"]').focus();
      }
      retract.hidden = hide;
    }
    const own = form.dataset[`own${result.own_vote[0].toUpperCase()}${result.own_vote.slice(1)}`];
    const ownLine = form.querySelector("[data-vote-own]");
    if (ownLine && own) {
      ownLine.textContent = own;
    }
    const status = form.querySelector("[data-vote-status]");
    if (status) {
      const { labelUp, labelDown } = form.dataset;
      const counts = `${result.votes_up} ${labelUp}, ${result.votes_down} ${labelDown}.`;
      status.textContent = `${own || ""} ${counts}`.trim();
    }
  }

  async function sendVote(form, value) {
    const data = new FormData(form); // includes the CSRF token
    data.set("value", value);
    form.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      showVote(form, await response.json());
    } catch (error) {
      // Closed idea, expired session, rate limit, network: the server's page explains it.
      submitWithoutScript(form, value);
    } finally {
      form.removeAttribute("aria-busy");
    }
  }

  for (const form of document.querySelectorAll("form[data-vote-form]")) {
    form.addEventListener("submit", (event) => {
      const button = event.submitter;
      if (!button || button.name !== "value" || !window.fetch) {
        return;
      }
      event.preventDefault();
      if (form.getAttribute("aria-busy") !== "true") {
        sendVote(form, button.value);
      }
    });
  }

  // ------------------------------------------------------------------ similar ideas

  const similar = document.querySelector("[data-similar-url]");
  const title = similar && document.getElementById(similar.dataset.similarFor);
  if (!similar || !title || !window.fetch) {
    return;
  }
  const MIN_LENGTH = 3;
  const DELAY_MS = 400;
  let timer = null;
  let controller = null;
  let lastQuery = "";

  function render(items) {
    similar.replaceChildren();
    if (!items.length) {
      return;
    }
    const heading = document.createElement("p");
    heading.className = "similar-heading";
    heading.textContent = similar.dataset.similarHeading;
    const list = document.createElement("ul");
    for (const item of items) {
      const link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title; // text, never HTML
      const entry = document.createElement("li");
      entry.append(link);
      list.append(entry);
    }
    similar.append(heading, list);
  }

  async function lookUp() {
    const query = title.value.trim();
    if (query === lastQuery) {
      return;
    }
    lastQuery = query;
    if (controller) {
      controller.abort();
    }
    if (query.length < MIN_LENGTH) {
      render([]);
      return;
    }
    controller = new AbortController();
    const url = new URL(similar.dataset.similarUrl, window.location.href);
    url.searchParams.set("q", query);
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        signal: controller.signal,
      });
      if (response.ok) {
        render(await response.json());
      }
    } catch (error) {
      // Aborted by the next keystroke, or offline: the preview step shows them anyway.
    }
  }

  title.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, DELAY_MS);
  });
})();
