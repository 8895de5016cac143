// "Add image" beside each Markdown editor: asks for the image's description (alt text),
// uploads it, and inserts it at the cursor. A failed upload shows the server's own
// message and leaves the text as it was. Dragged and pasted images take the same path
// (markdownx's own handler would insert "Invalid response" into the text on a failure).
(function () {
  "use strict";
  var ALT_QUESTION =
    "Describe the image for people who cannot see it (for example, 'Bar chart of recruitment by month'):";

  function csrfToken(editor) {
    var form = editor.closest("form");
    var field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  var statuses = new WeakMap(); // each editor's line for news of its uploads

  function statusOf(editor) {
    return statuses.get(editor);
  }

  function show(editor, message, isError) {
    var status = statusOf(editor);
    status.textContent = message;
    status.className = "image-adder__status" + (isError ? " errornote" : "");
    status.hidden = !message;
  }

  function serverMessage(body, fallback) {
    if (body && typeof body === "object") {
      var messages = [];
      Object.keys(body).forEach(function (key) {
        [].concat(body[key]).forEach(function (text) {
          messages.push(typeof text === "string" ? text : text.message);
        });
      });
      if (messages.length) {
        return messages.join(" ");
      }
    }
    return fallback;
  }

  function insert(editor, text) {
    var start = editor.selectionStart;
    var end = editor.selectionEnd;
    var before = editor.value.slice(0, start);
    var gap = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    editor.value = before + gap + text + "\n\n" + editor.value.slice(end);
    editor.selectionStart = editor.selectionEnd = start + gap.length + text.length;
    editor.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function upload(editor, file) {
    var alt = window.prompt(ALT_QUESTION, "");
    if (alt === null) {
      return; // the editor changed their mind
    }
    alt = alt.replace(/[\[\]\n]/g, " ").trim();
    if (!alt) {
      show(editor, "The image was not added: describe it, so every reader knows what it shows.", true);
      return;
    }
    var data = new FormData();
    data.append("image", file);
    show(editor, "Uploading " + file.name + "…", false);
    fetch(editor.getAttribute("data-markdownx-upload-urls-path"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(editor), "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            return { ok: response.ok, status: response.status, body: body };
          });
      })
      .then(function (result) {
        if (result.ok && result.body && result.body.image_code) {
          var code = result.body.image_code.replace(/^!\[[^\]]*\]/, "![" + alt + "]");
          insert(editor, code);
          show(editor, "Image added.", false);
        } else {
          var fallback = "The upload failed (error " + result.status + "). Nothing was added.";
          show(editor, "The image was not added: " + serverMessage(result.body, fallback), true);
        }
      })
      .catch(function () {
        show(editor, "The image was not added: the site could not be reached. Try again.", true);
      });
  }

  function addButton(editor) {
    var adder = document.createElement("div");
    adder.className = "image-adder";
    var input = document.createElement("input");
    input.type = "file";
    input.accept = "image/png,image/jpeg,image/webp,image/gif";
    input.hidden = true;
    input.className = "image-adder__file";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button image-adder__button";
    button.textContent = "Add image";
    var help = document.createElement("p");
    help.className = "help";
    help.textContent =
      "A PNG, JPEG, WebP or GIF of 5 MB or less. You will be asked to describe it. " +
      "It goes where the cursor is; you can also drag or paste an image into the text.";
    var status = document.createElement("p");
    status.className = "image-adder__status";
    status.setAttribute("role", "status");
    status.hidden = true;
    button.addEventListener("click", function () {
      input.click();
    });
    input.addEventListener("change", function () {
      if (input.files.length) {
        upload(editor, input.files[0]);
      }
      input.value = "";
    });
    adder.append(button, input, help, status);
    statuses.set(editor, status);
    // First in the editor's box, across the top of the editor and its preview.
    var box = editor.closest(".markdownx") || editor.parentNode;
    box.insertBefore(adder, box.firstChild);
  }

  function fileFrom(event) {
    var transfer = event.dataTransfer || event.clipboardData;
    return transfer && transfer.files && transfer.files.length ? transfer.files[0] : null;
  }

  function takeOver(event) {
    var editor = event.target;
    if (!editor.matches || !editor.matches("textarea.markdownx-editor, .markdownx textarea")) {
      return;
    }
    var file = fileFrom(event);
    if (!file) {
      return; // ordinary text
    }
    event.preventDefault();
    event.stopPropagation();
    upload(editor, file);
  }

  function ready() {
    document.querySelectorAll(".markdownx textarea").forEach(addButton);
    window.addEventListener("drop", takeOver, true);
    window.addEventListener("paste", takeOver, true);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
