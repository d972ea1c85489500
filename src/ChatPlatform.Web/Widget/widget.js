// The customer chat widget. Embed with one line:
//   <script src="https://HOST/widget.js" data-site-key="SITE_KEY" defer></script>
// It draws a launcher button and a chat panel inside a shadow root (the page's styles cannot reach in, ours cannot leak
// out), talks to HOST/api/widget, streams answers as they are written, shows their sources, collects thumbs up/down
// and corrections, and keeps the conversation for the browser tab's session (sessionStorage) so a reload resumes it.
// Model output is only ever inserted as text, never as HTML.
(() => {
  "use strict";
  const script = document.currentScript;
  const siteKey = script && script.dataset.siteKey;
  if (!siteKey) {
    console.error("chat widget: the script tag needs data-site-key=\"...\"");
    return;
  }
  const base = new URL(script.src, location.href).origin;
  const storageKey = "chatplatform-widget:" + siteKey;
  const url = (path) => `${base}/api/widget${path}?key=${encodeURIComponent(siteKey)}`;

  const css = `
    :host { all: initial; }
    * { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    .launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; width: 56px; height: 56px; border-radius: 50%;
      border: none; background: var(--brand); color: #fff; cursor: pointer; display: grid; place-items: center; box-shadow: 0 4px 14px rgba(0,0,0,.25); }
    .launcher:focus-visible, button:focus-visible, textarea:focus-visible, a:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
    .panel { position: fixed; right: 20px; bottom: 88px; z-index: 2147483000; width: 370px; max-height: min(600px, calc(100vh - 110px));
      display: flex; flex-direction: column; background: #fff; color: #1d1d1f; border-radius: 12px; overflow: hidden;
      box-shadow: 0 8px 30px rgba(0,0,0,.3); font-size: 14px; line-height: 1.45; }
    .panel[hidden] { display: none; }
    header { display: flex; align-items: center; gap: 8px; padding: 10px 12px; background: var(--brand); color: #fff; }
    header h2 { flex: 1; margin: 0; font-size: 16px; font-weight: 600; }
    header button { background: transparent; border: 1px solid rgba(255,255,255,.6); color: #fff; border-radius: 6px; cursor: pointer;
      padding: 4px 8px; font-size: 13px; }
    .log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 10px; min-height: 200px; }
    .msg { max-width: 88%; padding: 8px 10px; border-radius: 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
    .msg.user { align-self: flex-end; background: var(--brand); color: #fff; }
    .msg.bot { align-self: flex-start; background: #f0f1f4; }
    .msg.bot.pending .text::after { content: "▍"; animation: blink 1s steps(2) infinite; }
    @keyframes blink { 50% { opacity: 0; } }
    .sources { margin: 8px 0 0; padding: 6px 0 0 18px; border-top: 1px solid #d8dae0; font-size: 12px; white-space: normal; }
    .sources li { margin-bottom: 4px; }
    .sources a { color: #1a4fb8; }
    .snippet { display: block; color: #555; }
    .snippet mark { background: #fff3b0; color: inherit; }
    .feedback { display: flex; gap: 6px; margin-top: 6px; white-space: normal; }
    .feedback button { background: #fff; color: #555; border: 1px solid #c9ccd3; border-radius: 6px; cursor: pointer; padding: 3px 8px; line-height: 0; }
    .feedback button[aria-pressed="true"] { border-color: var(--brand); color: var(--brand); background: #eef1f8; }
    .correction { display: flex; flex-direction: column; gap: 6px; margin-top: 6px; white-space: normal; }
    .correction label { font-size: 12px; }
    .correction textarea { min-height: 60px; }
    .thanks { font-size: 12px; color: #2b6b34; margin-top: 4px; white-space: normal; }
    .notice { margin: 0 12px 8px; padding: 8px 10px; border-radius: 8px; background: #fdecea; color: #8a1c12; font-size: 13px; }
    .notice[hidden] { display: none; }
    form.ask { display: flex; gap: 8px; padding: 10px 12px; border-top: 1px solid #e3e5ea; }
    textarea { flex: 1; resize: none; font-size: 14px; padding: 8px; border: 1px solid #c9ccd3; border-radius: 8px; color: #1d1d1f; background: #fff; }
    .send, .correction-send { background: var(--brand); color: #fff; border: none; border-radius: 8px; padding: 0 14px; cursor: pointer; font-size: 14px; }
    .correction-send { align-self: flex-start; padding: 6px 12px; }
    button:disabled { opacity: .6; cursor: default; }
    @media (max-width: 480px) {
      .panel { right: 0; bottom: 0; width: 100vw; height: 100dvh; max-height: none; border-radius: 0; }
      .launcher { right: 14px; bottom: 14px; }
    }`;

  const host = document.createElement("div");
  host.id = "chatplatform-widget";
  // In <head> without defer the body does not exist yet.
  if (document.body) document.body.appendChild(host);
  else document.addEventListener("DOMContentLoaded", () => document.body.appendChild(host));
  const root = host.attachShadow({ mode: "open" });
  const el = (tag, props = {}, children = []) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === "text") node.textContent = v;
      else if (k in node && !k.startsWith("aria") && k !== "role") node[k] = v;
      else node.setAttribute(k, v);
    }
    for (const child of children) node.append(child);
    return node;
  };
  // Icons as inline SVG (Material icons' paths): emoji fonts are not on every system.
  const icons = {
    chat: "M20 2H4c-1.1 0-2 .9-2 2v18l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2z",
    up: "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z",
    down: "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z",
  };
  const icon = (name, size) => {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", size);
    svg.setAttribute("height", size);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", icons[name]);
    path.setAttribute("fill", "currentColor");
    svg.append(path);
    return svg;
  };
  // A snippet marks the question's words [like this]: shown highlighted, everything else as plain text.
  const snippet = (text) => {
    const node = el("span", { className: "snippet" });
    let last = 0;
    for (const m of text.matchAll(/\[([^\[\]\n]{1,80})\]/g)) {
      node.append(text.slice(last, m.index), el("mark", { text: m[1] }));
      last = m.index + m[0].length;
    }
    node.append(text.slice(last));
    return node;
  };

  const style = el("style", { text: css });
  const launcher = el("button", { className: "launcher", type: "button", "aria-label": "Open chat", "aria-expanded": "false",
    "aria-controls": "chat-panel" }, [icon("chat", 26)]);
  const title = el("h2", { id: "chat-title", text: "Support" });
  const newChat = el("button", { className: "new-chat", type: "button", "aria-label": "Start a new conversation", text: "New" });
  const close = el("button", { className: "close", type: "button", "aria-label": "Close chat", text: "✕" });
  const log = el("div", { className: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation" });
  const notice = el("div", { className: "notice", role: "alert", hidden: true });
  const input = el("textarea", { className: "input", rows: 2, placeholder: "Type your question…", "aria-label": "Your message" });
  const send = el("button", { className: "send", type: "submit", text: "Send", "aria-label": "Send message" });
  const form = el("form", { className: "ask" }, [input, send]);
  const panel = el("section", { className: "panel", id: "chat-panel", role: "dialog", "aria-labelledby": "chat-title", hidden: true },
    [el("header", {}, [title, newChat, close]), log, notice, form]);
  root.append(style, launcher, panel);
  host.style.setProperty("--brand", "#2f6fed");

  let config = { greeting: "", maxMessageChars: 2000 };
  let state = load();
  let busy = false;

  function load() {
    try { return JSON.parse(sessionStorage.getItem(storageKey)) || {}; } catch { return {}; }
  }
  function save() {
    sessionStorage.setItem(storageKey, JSON.stringify(state));
  }
  function showNotice(message) {
    notice.textContent = message;
    notice.hidden = !message;
  }
  async function errorOf(response) {
    try {
      const body = await response.json();
      if (body && body.error) return body.error;
    } catch { /* not JSON: fall through */ }
    return response.status === 429 ? "Too many messages right now. Please wait a minute and try again."
      : `The assistant is unavailable right now (${response.status}). Please try again later.`;
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", "Close chat");
    state.open = true;
    save();
    input.focus();
    log.scrollTop = log.scrollHeight;
  }
  function shut() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", "Open chat");
    state.open = false;
    save();
    launcher.focus();
  }
  launcher.addEventListener("click", () => (panel.hidden ? open() : shut()));
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") { e.preventDefault(); shut(); }
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });
  form.addEventListener("submit", (e) => { e.preventDefault(); ask(); });
  newChat.addEventListener("click", () => {
    state = { open: true };
    save();
    log.replaceChildren();
    greet();
    showNotice("");
    input.focus();
  });

  function greet() {
    if (config.greeting) log.append(el("div", { className: "msg bot greeting", text: config.greeting }));
  }
  function addUser(text) {
    const node = el("div", { className: "msg user", text });
    log.append(node);
    log.scrollTop = log.scrollHeight;
    return node;
  }
  function addBot(message) {
    const text = el("div", { className: "text", text: message ? message.content : "" });
    const node = el("div", { className: "msg bot" }, [text]);
    log.append(node);
    if (message) finishBot(node, message);
    log.scrollTop = log.scrollHeight;
    return node;
  }

  // Sources and feedback controls under a complete answer.
  function finishBot(node, message) {
    node.classList.remove("pending");
    node.dataset.messageId = message.id;
    if (message.sources && message.sources.length) {
      const list = el("ol", { className: "sources", "aria-label": "Sources" });
      for (const s of message.sources) {
        const label = s.section ? `${s.title} › ${s.section}` : s.title;
        const name = s.link ? el("a", { href: s.link, target: "_blank", rel: "noopener noreferrer", text: label }) : el("strong", { text: label });
        list.append(el("li", {}, [name, snippet(s.snippet)]));
      }
      node.append(list);
    }
    const up = el("button", { className: "thumb-up", type: "button", "aria-label": "Helpful answer", "aria-pressed": "false" }, [icon("up", 16)]);
    const down = el("button", { className: "thumb-down", type: "button", "aria-label": "Unhelpful answer", "aria-pressed": "false" }, [icon("down", 16)]);
    const bar = el("div", { className: "feedback" }, [up, down]);
    node.append(bar);
    const mark = (rating) => {
      up.setAttribute("aria-pressed", String(rating === "up"));
      down.setAttribute("aria-pressed", String(rating === "down"));
    };
    mark(message.feedback);
    up.addEventListener("click", async () => {
      if (await rate(message.id, "up")) { mark("up"); node.querySelector(".correction")?.remove(); thank(node); }
    });
    down.addEventListener("click", async () => {
      if (!(await rate(message.id, "down"))) return;
      mark("down");
      if (!node.querySelector(".correction")) node.append(correctionForm(node, message.id));
      node.querySelector(".correction textarea").focus();
    });
  }
  function correctionForm(node, id) {
    const fieldId = `correction-${id}`;
    const box = el("textarea", { id: fieldId, rows: 3, maxLength: config.maxCorrectionChars || 4000 });
    const submit = el("button", { className: "correction-send", type: "submit", text: "Send correction" });
    const wrap = el("form", { className: "correction" },
      [el("label", { htmlFor: fieldId, text: "What should the answer have been? (optional)" }), box, submit]);
    wrap.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!box.value.trim()) { box.focus(); return; }
      submit.disabled = true;
      if (await rate(id, "down", box.value)) { wrap.remove(); thank(node); }
      submit.disabled = false;
    });
    box.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); wrap.requestSubmit(); }
    });
    return wrap;
  }
  function thank(node) {
    node.querySelector(".thanks")?.remove();
    node.append(el("div", { className: "thanks", role: "status", text: "Thanks for your feedback." }));
  }
  async function rate(id, rating, correction) {
    const response = await fetch(url(`/messages/${id}/feedback`), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sessionId: state.sessionId, rating, correction: correction || null }),
    });
    if (!response.ok) { showNotice(await errorOf(response)); return false; }
    showNotice("");
    return true;
  }

  async function ensureSession() {
    if (state.sessionId) return true;
    const response = await fetch(url("/sessions"), { method: "POST" });
    if (!response.ok) { showNotice(await errorOf(response)); return false; }
    state.sessionId = (await response.json()).sessionId;
    save();
    return true;
  }

  async function ask() {
    const question = input.value.trim();
    if (!question || busy) return;
    if (question.length > config.maxMessageChars) {
      showNotice(`Your message is ${question.length} characters long; the limit is ${config.maxMessageChars}. Please shorten it.`);
      return;
    }
    busy = true;
    send.disabled = true;
    showNotice("");
    try {
      if (!(await ensureSession())) return;
      const response = await fetch(url(`/sessions/${encodeURIComponent(state.sessionId)}/messages`), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify({ content: question }),
      });
      if (!response.ok) {
        if (response.status === 404) { state.sessionId = null; save(); }
        showNotice(await errorOf(response));
        return;
      }
      input.value = "";
      addUser(question);
      const bot = addBot(null);
      bot.classList.add("pending");
      await readStream(response, bot, question);
    } catch {
      showNotice("The connection to the assistant failed. Please check your connection and try again.");
    } finally {
      busy = false;
      send.disabled = false;
      input.focus();
    }
  }

  // Server-sent events over fetch (EventSource cannot POST): "delta" {text}, then "done" {messageId, sources} or "error" {error}.
  async function readStream(response, bot, question) {
    const text = bot.querySelector(".text");
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = "message", data = "";
        for (const line of frame.split("\n")) {
          if (line.startsWith("event: ")) name = line.slice(7);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        const payload = data ? JSON.parse(data) : {};
        if (name === "delta") {
          text.textContent += payload.text;
          log.scrollTop = log.scrollHeight;
        } else if (name === "done") {
          finishBot(bot, { id: payload.messageId, content: text.textContent, sources: payload.sources, feedback: null });
        } else if (name === "error") {
          bot.classList.remove("pending");
          showNotice(payload.error);
        }
      }
    }
    bot.classList.remove("pending");
  }

  async function start() {
    try {
      const response = await fetch(url("/config"));
      if (!response.ok) { console.error("chat widget: " + (await errorOf(response))); host.remove(); return; }
      config = await response.json();
    } catch (e) {
      console.error("chat widget: the server is unreachable", e);
      host.remove();
      return;
    }
    host.style.setProperty("--brand", config.brandColor);
    title.textContent = config.title;
    input.maxLength = config.maxMessageChars;
    greet();
    if (state.sessionId) {
      const response = await fetch(url(`/sessions/${encodeURIComponent(state.sessionId)}/messages`));
      if (response.ok) {
        for (const m of (await response.json()).messages) m.role === "user" ? addUser(m.content) : addBot(m);
      } else {
        state.sessionId = null;
        save();
      }
    }
    host.dataset.ready = "true";
    if (state.open) open();
  }
  start();
})();
