// Progressive enhancement only: every action works without this file.
"use strict";

document.addEventListener("submit", (event) => {
  // Forms that destroy something ask once more; the server checks again either way.
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
