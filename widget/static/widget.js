/* Ponte chat widget. Embedded with one tag:
 *   <script src="https://HOST/widget.js" data-site="default" async></script>
 * Protocol: docs/widget-protocol.md. Vanilla JS, no build step. Rules kept here:
 * - every server or customer string reaches the DOM as text (textContent / text nodes), never
 *   as HTML (no markup is ever parsed from a string here);
 * - every visible string comes from config.strings;
 * - all drawing happens inside a closed shadow root, on a host reset with `all: initial`.
 * The host page's API (window.Ponte, the ponte() command queue): docs/widget-api.md. */
(() => {
  "use strict";
  const me =
    document.currentScript ||
    [...document.scripts].reverse().find((s) => /\/widget\.js([?#]|$)/.test(s.src));
  if (!me || (window.Ponte && window.Ponte.widget)) return; // loaded twice: the first copy stays
  const BASE = new URL(me.src, location.href).origin;
  const SITE = me.dataset.site || "default";
  const LANG = navigator.language || "";
  const WS_URL = BASE.replace(/^http/, "ws") + "/widget/ws";
  const SVG = "http://www.w3.org/2000/svg";
  const ICONS = {
    chat: "M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z",
    x: "M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4l5.6 5.6L5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6z",
    clip: "M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z",
    send: "M2 21 23 12 2 3v7l15 2-15 2z",
  };

  // -- storage: may be blocked (privacy modes); the widget then lives for this page only ----
  const store = (area, key, value) => {
    try {
      const s = window[area];
      if (value === undefined) return s.getItem(key);
      if (value === null) s.removeItem(key);
      else s.setItem(key, value);
    } catch (e) {
      return null;
    }
  };
  const json = (key, value) => {
    if (value !== undefined) return store("localStorage", key, JSON.stringify(value));
    try {
      return JSON.parse(store("localStorage", key)) || {};
    } catch (e) {
      return {};
    }
  };
  // Event ids are Redis stream ids "ms-seq", totally ordered within a conversation.
  const cmp = (a, b) => {
    const [x, y] = a.split("-").map(Number);
    const [u, v] = b.split("-").map(Number);
    return x - u || y - v;
  };

  // -- state ----------------------------------------------------------------------------------
  let cfg, S;
  let token = store("localStorage", "ponte.visitor");
  const boot = json("ponte.last"); // what earlier pages showed: their events are not news
  let cid = boot.c || null; // the conversation shown
  let last = null; // the last event shown on THIS page (a page load replays the whole log)
  let conv = null; // the latest state frame's conversation
  let read = json("ponte.read"); // {c, e}: the last event the customer had in front of them
  const seen = new Set(); // event ids shown (duplicates are dropped)
  const byId = new Map(); // message event id -> element (for edits and deletes)
  const awaiting = new Map(); // acked event id -> its pending bubble, until the event arrives
  const left = new Set(); // conversations this page moved away from
  const pending = new Map(); // client message id -> {frame, el}: re-sent until acked
  const prefill = {};
  let queue = []; // frames the customer made before the connection was ready
  let sock = null, es = null, sse = !window.WebSocket, welcomed = false;
  let wsFails = 0, tries = 0, timer = 0;
  let isOpen = false, unread = 0, flash = 0, baseTitle = "", audio = null, typedAt = 0;
  let stageKey = "", wantFocus = false, hiddenLauncher = false, openAsked = null;
  let ident = null, idSeq = 0, idSent = [], ready = false; // identify(): the latest identity
  const idWait = []; // [ref, resolve] of identify() calls not answered yet
  const handlers = {}; // host page listeners: event name -> Set
  let root, wrap, launcher, badgeEl, panel, statusEl, scroller, logEl, stage, alertEl;
  let composer, textEl, fileEl, endBtn, closeBtn, typingEl, typingTimer = 0;

  const t = (key, vars) =>
    (S[key] || key).replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? vars[k] : m));

  // -- DOM helpers: strings become text nodes, attributes are set one by one ------------------
  const h = (tag, props, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k === "cls" ? "class" : k, v === true ? "" : v);
    }
    for (const kid of kids.flat(2)) if (kid != null && kid !== false) el.append(kid);
    return el;
  };
  const icon = (name) => {
    const s = document.createElementNS(SVG, "svg");
    const p = document.createElementNS(SVG, "path");
    s.setAttribute("viewBox", "0 0 24 24");
    s.setAttribute("aria-hidden", "true");
    s.setAttribute("focusable", "false");
    p.setAttribute("d", ICONS[name]);
    s.append(p);
    return s;
  };
  const button = (props, ...kids) => h("button", { type: "button", ...props }, ...kids);
  const focusable = (box) =>
    box.querySelector("button:not([disabled]),input:not([type=file]),textarea,select,a[href]");
  const safeUrl = (url) => {
    try {
      const u = new URL(url, BASE);
      return u.origin === BASE ? u.href : "";
    } catch (e) {
      return "";
    }
  };
  const size = (n) =>
    n < 1024 ? n + " B" : n < 1048576 ? Math.round(n / 1024) + " KB" : (n / 1048576).toFixed(1) + " MB";
  const clock = (ms) => {
    try {
      return new Date(ms).toLocaleTimeString(cfg.language, { hour: "2-digit", minute: "2-digit" });
    } catch (e) {
      return "";
    }
  };

  const CSS = `
.w{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2b2a;letter-spacing:normal;text-align:left;word-spacing:normal}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
button,input,textarea,select{font:inherit;color:inherit;letter-spacing:inherit;margin:0}
button{cursor:pointer;border:0;background:none;padding:0}
svg{width:22px;height:22px;fill:currentColor}
:focus-visible{outline:3px solid var(--c);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.l{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;background:var(--c);color:var(--t);box-shadow:0 4px 14px #0004;display:grid;place-items:center;z-index:2147483000}
.l svg{width:28px;height:28px}
.l:focus-visible{outline-color:#1d2b2a}
.b{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#c62828;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}
.p{position:fixed;right:20px;bottom:88px;width:370px;max-width:calc(100vw - 40px);height:min(600px,calc(100vh - 108px));background:#fff;border-radius:14px;box-shadow:0 8px 30px #0004;display:flex;flex-direction:column;overflow:hidden;z-index:2147483001}
header{background:var(--c);color:var(--t);padding:10px 10px 10px 16px;display:flex;align-items:center;gap:6px}
header h2{font-size:16px;margin:0;flex:1;font-weight:600}
header :focus-visible{outline-color:var(--t)}
.hb{padding:6px 8px;border-radius:8px;font-size:13px}
.hb:hover{background:#fff3}
.st{background:#fff8e1;padding:8px 16px;font-size:13px}
.st:empty,.al:empty{padding:0}
.fe:empty,.x:empty{display:none}
.sc{flex:1;overflow-y:auto;padding:12px 14px;display:flex;flex-direction:column;gap:8px}
.log{display:flex;flex-direction:column;gap:8px}
.m{max-width:85%;padding:8px 12px;border-radius:12px;background:#eef2f1;align-self:flex-start;overflow-wrap:anywhere}
.m.me{align-self:flex-end;background:var(--c);color:var(--t)}
.m .n{display:block;font-size:12px;font-weight:600;opacity:.8}
.m .x{white-space:pre-wrap}
.m time,.m .ed,.m .ms{display:block;font-size:11px;opacity:.75}
.m.pend{opacity:.6}
.m.fail{background:#fdecea;color:#8a1c1c}
.m.del .x{font-style:italic;opacity:.7}
.m .a img{display:block;max-width:100%;max-height:200px;border-radius:8px;margin-top:4px}
.m a{color:inherit}
.s{align-self:center;font-size:12px;color:#5b6b69;text-align:center;margin:2px 0}
.s.e{color:#8a1c1c}
.s.w{color:#8a5a00;font-weight:600}
.o{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.ob,.db,.pb,.sb{border:1px solid var(--c);color:#1d2b2a;background:#fff;border-radius:10px;padding:8px 12px;text-align:left}
.sb{text-align:center;font-weight:600}
.ob:disabled{opacity:.5;cursor:default}
.pb{background:var(--c);color:var(--t);border:0;font-weight:600;text-align:center}
.pb:disabled{opacity:.5}
.db small{display:block;font-size:12px;color:#8a5a00}
.stage{display:flex;flex-direction:column;gap:8px}
.stage h3{font-size:15px;margin:4px 0}
.f{display:flex;flex-direction:column;gap:3px}
.f label,.rt>label{font-size:13px;font-weight:600}
.f input,.f textarea,.f select,.rt textarea{border:1px solid #9aa8a6;border-radius:8px;padding:8px;background:#fff}
[aria-invalid=true]{border-color:#c62828!important}
.fe,.al{color:#8a1c1c;font-size:13px;margin:0}
.al{padding:6px 16px}
fieldset{border:0;padding:0;margin:0}
legend{font-weight:600;padding:0;margin-bottom:4px}
.stars{display:flex;gap:4px}
.star{position:relative;font-size:28px;line-height:1;color:#b7c2c0;cursor:pointer}
.star.on{color:#f5a623}
.star input{position:absolute;opacity:0;width:1px;height:1px}
.star:focus-within{outline:3px solid var(--c);outline-offset:2px;border-radius:4px}
.ok{font-weight:600;margin:4px 0}
.ty{font-size:12px;color:#5b6b69;padding:0 16px 4px}
.c{display:flex;align-items:flex-end;gap:6px;border-top:1px solid #dde3e2;padding:8px}
.c textarea{flex:1;resize:none;border:1px solid #9aa8a6;border-radius:10px;padding:8px 10px;max-height:120px;min-height:38px}
.ib{width:38px;height:38px;border-radius:50%;display:grid;place-items:center;color:#3d4d4b;flex:none}
.ib.snd{background:var(--c);color:var(--t)}
@media (max-width:480px){.p{inset:0;width:auto;max-width:none;height:auto;border-radius:0}.open .l{display:none}}
`;

  // -- building the UI ------------------------------------------------------------------------

  function build(config) {
    cfg = config;
    S = config.strings || {};
    const host = h("div", { id: "ponte-widget" });
    host.style.setProperty("all", "initial", "important");
    root = host.attachShadow({ mode: "closed" });
    const color = /^#[0-9a-f]{6}$/i.test(cfg.color) ? cfg.color : "#0b7a75";
    const rgb = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
    const light = rgb[0] * 0.299 + rgb[1] * 0.587 + rgb[2] * 0.114 > 160;
    badgeEl = h("span", { cls: "b", "aria-hidden": "true", hidden: true });
    launcher = button(
      { cls: "l", "aria-label": S.open, "aria-expanded": "false", "aria-controls": "pw-panel" },
      icon("chat"),
      badgeEl
    );
    launcher.addEventListener("click", () => (isOpen ? closePanel(true) : openPanel(true)));
    wrap = h("div", { cls: "w", lang: cfg.language }, launcher, buildPanel());
    wrap.style.setProperty("--c", color);
    wrap.style.setProperty("--t", light ? "#111" : "#fff");
    // A constructed style sheet is not subject to the host page's CSP style-src; older
    // browsers get a <style> element.
    if (root.adoptedStyleSheets && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else root.append(h("style", { text: CSS }));
    root.append(wrap);
    root.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && isOpen) {
        e.preventDefault();
        closePanel(true);
      }
    });
    root.addEventListener("pointerdown", unlockAudio, true);
    root.addEventListener("keydown", unlockAudio, true);
    const mount = () => document.body.append(host);
    document.body ? mount() : addEventListener("DOMContentLoaded", mount);
    launcher.hidden = hiddenLauncher;
    render();
    if (openAsked ?? store("sessionStorage", "ponte.open")) openPanel(!!openAsked);
    connect();
    setInterval(() => welcomed && transmit({ t: "ping" }), 25000);
  }

  function buildPanel() {
    const closing = { cls: "hb", "aria-label": S.close_panel, onclick: () => closePanel(true) };
    closeBtn = button(closing, icon("x"));
    endBtn = button({ cls: "hb", text: S.end_conversation, onclick: () => send({ t: "close" }) });
    statusEl = h("div", { cls: "st", role: "status" });
    logEl = h("div", { cls: "log", role: "log", "aria-live": "polite", "aria-label": S.messages });
    stage = h("div", { cls: "stage" });
    scroller = h("div", { cls: "sc" }, logEl, stage);
    alertEl = h("p", { cls: "al", role: "alert" });
    typingEl = h("div", { cls: "ty", "aria-live": "polite" });
    const types = (cfg.uploads && cfg.uploads.types) || [];
    fileEl = h("input", {
      type: "file",
      hidden: true,
      tabindex: "-1",
      "aria-label": S.attach,
      accept: types.join(","),
      onchange: () => {
        if (fileEl.files[0]) upload(fileEl.files[0]);
        fileEl.value = "";
      },
    });
    textEl = h("textarea", {
      rows: 1,
      "aria-label": S.message_label,
      placeholder: S.message_placeholder,
      maxlength: cfg.max_message || null,
      onkeydown: (e) => {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          submitText();
        }
      },
      oninput: onInput,
    });
    composer = h(
      "form",
      { cls: "c", onsubmit: (e) => (e.preventDefault(), submitText()) },
      button(
        { cls: "ib", "aria-label": S.attach, title: S.attach, onclick: () => fileEl.click() },
        icon("clip")
      ),
      fileEl,
      textEl,
      h("button", { type: "submit", cls: "ib snd", "aria-label": S.send, title: S.send }, icon("send"))
    );
    panel = h(
      "div",
      { cls: "p", id: "pw-panel", role: "dialog", "aria-label": cfg.title, hidden: true },
      h("header", {}, h("h2", { text: cfg.title }), endBtn, closeBtn),
      statusEl,
      scroller,
      typingEl,
      alertEl,
      composer
    );
    return panel;
  }

  // -- panel, unread badge, title flash and sound ---------------------------------------------

  function openPanel(focus) {
    const was = isOpen;
    isOpen = true;
    panel.hidden = false;
    wrap.classList.add("open");
    launcher.setAttribute("aria-expanded", "true");
    store("sessionStorage", "ponte.open", "1");
    markRead();
    scrollDown();
    if (focus) (focusable(stage) || (!composer.hidden && textEl) || closeBtn).focus();
    if (!was) emit("opened", {});
  }

  function closePanel(focus) {
    const was = isOpen;
    isOpen = false;
    panel.hidden = true;
    wrap.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    store("sessionStorage", "ponte.open", null);
    badge();
    if (focus) launcher.focus();
    if (was) emit("closed", {});
  }

  function badge() {
    const n = isOpen ? 0 : unread;
    badgeEl.textContent = n > 9 ? "9+" : String(n);
    badgeEl.hidden = !n;
    launcher.setAttribute("aria-label", n ? S.open + ", " + t("unread", { count: n }) : S.open);
  }

  function markRead() {
    if (!isOpen || document.hidden) return;
    unread = 0;
    badge();
    stopFlash();
    if (!cid || !last || (read.c === cid && read.e === last)) return;
    read = { c: cid, e: last };
    json("ponte.read", read);
  }

  function isNew(id) {
    return !(read.c === cid && read.e && cmp(id, read.e) <= 0);
  }

  function ring() {
    beep();
    if (flash) return;
    baseTitle = document.title;
    let on = true;
    document.title = S.new_message_title;
    flash = setInterval(() => (document.title = (on = !on) ? S.new_message_title : baseTitle), 1000);
  }

  function stopFlash() {
    if (!flash) return;
    clearInterval(flash);
    flash = 0;
    document.title = baseTitle;
  }

  // Browsers let audio start only after a gesture: the context is made on the first one.
  function unlockAudio() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    try {
      if (!audio && Ctx) audio = new Ctx();
      if (audio && audio.state === "suspended") audio.resume();
    } catch (e) {
      audio = null;
    }
  }

  function beep() {
    if (!audio) return;
    try {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.05;
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.15);
    } catch (e) {
      /* no sound is fine */
    }
  }

  // -- what the conversation state shows ------------------------------------------------------

  function render() {
    if (!root) return;
    const c = conv;
    const focused = root.activeElement;
    const asking = !!c && c.state === "automatic" && (c.step === "department" || c.step === "form");
    composer.hidden = !cid || !c || asking;
    endBtn.hidden = !c || c.state === "closed";
    // a control that disappears takes the focus with it: the stage gives it a new place
    if ((composer.hidden && composer.contains(focused)) || (endBtn.hidden && focused === endBtn))
      wantFocus = true;
    const bot = !!c && c.state === "automatic" && c.step === "bot";
    for (const b of logEl.querySelectorAll(".ob")) b.disabled = !bot;
    renderStatus();
    renderStage();
  }

  function renderStatus() {
    const c = conv;
    const parts = [];
    if (!welcomed && tries) parts.push(S.reconnecting);
    if (c && c.state === "queued") {
      if (c.offline) parts.push(S.queued_offline);
      if (c.position) parts.push(t("queue_position", { position: c.position }));
    }
    const text = parts.join(" ");
    if (statusEl.textContent !== text) statusEl.textContent = text;
  }

  function renderStage() {
    const c = conv;
    let key = !cid ? "none" : !c ? "wait" : c.state === "closed" ? "closed" + c.rated : c.state;
    if (c && c.state === "automatic") key += c.step;
    if (key + cid === stageKey) return;
    stageKey = key + cid;
    if (stage.contains(root.activeElement)) wantFocus = true;
    stage.replaceChildren(...stageFor(key, c));
    if (wantFocus && isOpen) {
      const target = focusable(stage) || (!composer.hidden && textEl);
      if (target) {
        target.focus();
        wantFocus = false;
      }
    }
    scrollDown();
  }

  function stageFor(key, c) {
    const start = (label, cls) =>
      button({ cls: cls || "pb", text: label, onclick: () => send({ t: "start", page: page() }) });
    if (key === "none") return [h("h3", { text: S.greeting_title }), start(S.start)];
    if (key === "automaticdepartment") return [departments()];
    if (key === "automaticform") return [form()];
    if (key.startsWith("closed"))
      return [
        c.rated ? h("p", { cls: "ok", text: S.rate_thanks }) : rating(),
        start(S.new_conversation, c.rated ? "pb" : "sb"),
      ];
    return [];
  }

  function departments() {
    return h(
      "div",
      { role: "group", "aria-labelledby": "pw-dh", cls: "stage" },
      h("h3", { id: "pw-dh", text: S.choose_department }),
      (cfg.departments || []).map((d) =>
        button(
          { cls: "db", onclick: () => send({ t: "department", department: d.id }) },
          d.name,
          !d.open && h("small", { text: S.department_offline })
        )
      ),
      h("p", { cls: "fe", id: "pw-e-department" })
    );
  }

  const INPUT_TYPES = { email: "email", phone: "tel" };
  const AUTOCOMPLETE = { name: "name", email: "email", phone: "tel" };

  function form() {
    const fields = (cfg.form || []).map((f) => {
      const attrs = {
        id: "pw-f-" + f.id,
        name: f.id,
        required: f.required,
        "aria-required": f.required ? "true" : null,
        "aria-describedby": "pw-e-" + f.id,
        maxlength: f.type === "select" ? null : f.max_length,
        autocomplete: AUTOCOMPLETE[f.type] || AUTOCOMPLETE[f.id] || null,
      };
      const input =
        f.type === "textarea"
          ? h("textarea", attrs)
          : f.type === "select"
            ? h("select", attrs, h("option", { value: "" }), f.options.map((o) => h("option", { text: o })))
            : h("input", { ...attrs, type: INPUT_TYPES[f.type] || "text" });
      if (prefill[f.id]) input.value = prefill[f.id];
      return h(
        "div",
        { cls: "f" },
        h("label", { for: attrs.id, text: f.label + (f.required ? " *" : "") }),
        input,
        h("p", { cls: "fe", id: "pw-e-" + f.id })
      );
    });
    const el = h(
      "form",
      {
        novalidate: true, // the server validates; its errors are shown next to each field
        cls: "stage",
        onsubmit: (e) => {
          e.preventDefault();
          const values = {};
          for (const f of cfg.form) values[f.id] = el.elements.namedItem(f.id).value;
          send({ t: "form", values });
        },
      },
      h("h3", { text: S.form_title }),
      fields,
      h("button", { type: "submit", cls: "pb", text: S.form_submit })
    );
    return el;
  }

  function rating() {
    let value = 0;
    const submit = h("button", { type: "submit", cls: "pb", disabled: true, text: S.rate_send });
    const comment = h("textarea", { id: "pw-rc", rows: 2, maxlength: 1000 });
    const stars = [1, 2, 3, 4, 5].map((n) =>
      h(
        "label",
        { cls: "star" },
        h("input", {
          type: "radio",
          name: "rating",
          value: n,
          "aria-label": t("stars", { n }),
          onchange: () => {
            value = n;
            submit.disabled = false;
            stars.forEach((s, i) => s.classList.toggle("on", i < n));
          },
        }),
        "\u2605"
      )
    );
    return h(
      "form",
      {
        cls: "rt stage",
        onsubmit: (e) => {
          e.preventDefault();
          if (value) send({ t: "rate", rating: value, comment: comment.value.trim() });
        },
      },
      h("fieldset", {}, h("legend", { text: S.rate_title }), h("div", { cls: "stars" }, stars)),
      h("label", { for: "pw-rc", text: S.rate_comment }),
      comment,
      submit
    );
  }

  // -- the conversation log -------------------------------------------------------------------

  function follow(id) {
    if (cid) left.add(cid);
    cid = id;
    last = conv = null;
    seen.clear();
    byId.clear();
    awaiting.clear();
    logEl.replaceChildren(...[...pending.values()].map((p) => p.el));
    json("ponte.last", { c: cid, e: null });
    render();
  }

  function onEvent(f) {
    if (left.has(f.conversation)) return;
    if (f.conversation !== cid) follow(f.conversation);
    if (seen.has(f.id)) return;
    seen.add(f.id);
    last = f.id;
    json("ponte.last", { c: cid, e: last });
    const el = draw(f);
    if (el) {
      const mine = awaiting.get(f.id);
      if (mine) mine.replaceWith(el);
      else logEl.append(el);
      awaiting.delete(f.id);
      if (f.kind === "message") byId.set(f.id, el);
      scrollDown();
    }
    notice(f);
    tell(f);
  }

  // Host page events for what is news to this page (a load replays what earlier pages had).
  function tell(f) {
    if (boot.c === f.conversation && boot.e && cmp(f.id, boot.e) <= 0) return;
    if (f.kind === "closed") emit("conversation:closed", { conversation: f.conversation });
    if (f.kind === "message" && (f.author === "agent" || f.author === "bot"))
      emit("message", {
        id: f.id,
        conversation: f.conversation,
        text: f.text,
        author: f.author,
        name: f.author === "bot" ? S.bot : f.name || S.agent,
      });
  }

  function draw(f) {
    const d = f.data || {};
    switch (f.kind) {
      case "message":
        if (f.author !== "system") return bubble(f);
        if (d.delivery_failed) return line(S.not_delivered, "s e");
        if (d.notice === "inactivity_warning") return line(f.text || S.inactivity_warning, "s w");
        return f.text ? line(f.text) : null;
      case "claimed": // by an agent, or by automatic distribution (data.automatic): the same
        return line(t("claimed", { agent: d.agent_name || f.name || S.agent }));
      case "reopened":
        return line(d.agent_name ? t("reopened_agent", { agent: d.agent_name }) : S.reopened);
      case "transferred":
        return line(S.transferred);
      case "closed":
        return line(S.closed);
      case "edited":
      case "deleted":
        edit(f);
    }
    return null;
  }

  const line = (text, cls) => h("p", { cls: cls || "s", text });

  function bubble(f) {
    const mine = f.author === "customer";
    const name = mine ? S.you : f.author === "bot" ? S.bot : f.name || S.agent;
    const el = h(
      "div",
      { cls: mine ? "m me" : "m" },
      h("span", { cls: "n", text: name }),
      h("div", { cls: "x", text: f.text || "" }),
      files(f.attachments),
      f.at && h("time", { text: clock(f.at) })
    );
    const options = f.author === "bot" && f.data && f.data.options;
    if (options) el.append(menu(options));
    return el;
  }

  function menu(options) {
    const bot = !!conv && conv.state === "automatic" && conv.step === "bot";
    return h(
      "div",
      { cls: "o" },
      options.split("|").map((pair) => {
        const i = pair.indexOf("=");
        const item = pair.slice(0, i);
        return button({
          cls: "ob",
          text: pair.slice(i + 1),
          disabled: !bot,
          onclick: () => send({ t: "pick", item }),
        });
      })
    );
  }

  function files(list) {
    if (!list || !list.length) return null;
    return h(
      "div",
      { cls: "a" },
      list.map((a) => {
        const url = safeUrl(a.url || "");
        if (!url) return h("span", { text: a.name });
        const link = { href: url, target: "_blank", rel: "noopener" };
        if (/^image\//.test(a.mime))
          return h("a", link, h("img", { src: url, alt: a.name, onload: scrollDown }));
        return h("a", { ...link, text: a.name + " (" + size(a.size) + ")" });
      })
    );
  }

  function edit(f) {
    const el = byId.get(f.data && f.data.target);
    if (!el) return;
    const x = el.querySelector(".x");
    if (f.kind === "deleted") {
      x.textContent = S.deleted;
      el.classList.add("del");
      el.querySelector(".a")?.remove();
      el.querySelector(".o")?.remove();
    } else {
      x.textContent = f.text;
      if (!el.querySelector(".ed")) x.after(h("span", { cls: "ed", text: S.edited }));
    }
  }

  // Unread badge, proactive opening, and the title flash and sound of a hidden tab.
  function notice(f) {
    if (!isNew(f.id)) return;
    if (f.kind === "created" && f.author === "agent" && !isOpen) openPanel(false);
    const d = f.data || {};
    const fromTeam =
      f.kind === "message" &&
      (f.author === "agent" || f.author === "bot" || !!d.delivery_failed || !!d.notice);
    if (fromTeam) {
      typingEl.textContent = "";
      if (!isOpen) unread++;
      if (document.hidden) ring();
    }
    markRead();
    badge();
  }

  function scrollDown() {
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
  }

  // -- what the customer does -----------------------------------------------------------------

  function submitText() {
    const text = textEl.value.trim();
    if (!text || !cid) return;
    textEl.value = "";
    textEl.style.height = "";
    say(text, [], bubble({ author: "customer", text }));
  }

  // The box grows with the text (up to its max-height); the team hears "typing" every 3 s at most.
  function onInput() {
    textEl.style.height = "auto";
    textEl.style.height = textEl.scrollHeight + 2 + "px";
    const now = Date.now();
    if (cid && welcomed && now - typedAt > 3000) {
      typedAt = now;
      transmit({ t: "typing" });
    }
  }

  function pendingBubble(el) {
    el.classList.add("pend");
    el.querySelector("time")?.remove();
    el.append(h("span", { cls: "ms", text: S.sending }));
    return el;
  }

  function say(text, attachments, el) {
    const id = Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
    const frame = { t: "say", id, text, attachments };
    if (!el.classList.contains("pend")) pendingBubble(el);
    if (!el.isConnected) logEl.append(el);
    pending.set(id, { frame, el });
    scrollDown();
    alertEl.textContent = "";
    if (welcomed) transmit(frame); // otherwise sent with every pending one after the welcome
  }

  function upload(file) {
    const u = cfg.uploads || {};
    alertEl.textContent = "";
    if (u.max_bytes && file.size > u.max_bytes) return (alertEl.textContent = S.error_too_large);
    if (file.type && u.types && !u.types.includes(file.type)) return (alertEl.textContent = S.error_type);
    if (!cid || !token) return;
    const el = pendingBubble(bubble({ author: "customer", text: file.name }));
    logEl.append(el);
    scrollDown();
    const body = new FormData(); // the server reads the fields in this order: file last
    body.append("visitor", token);
    body.append("conversation", cid);
    body.append("file", file);
    fetch(BASE + "/widget/upload", { method: "POST", body })
      .then((r) => r.json())
      .then(
        (f) => (f.attachment ? say("", [f.attachment.id], el) : failed(el, f)),
        () => failed(el, {})
      );
  }

  function failed(el, f) {
    el.classList.replace("pend", "fail");
    const status = el.querySelector(".ms");
    if (status) status.textContent = S.not_sent + " \u2014 " + errorText(f);
  }

  const errorText = (f) =>
    S["error_" + f.code] || (f.code === "invalid" && f.field && S.invalid) || S.error_generic;

  // -- frames from the server -----------------------------------------------------------------

  function onFrame(f) {
    switch (f && f.t) {
      case "welcome":
        return onWelcome(f);
      case "state":
        return onState(f.conversation);
      case "event":
        return onEvent(f);
      case "ack":
        return onAck(f);
      case "errors":
        return onErrors(f.errors || {});
      case "error":
        return onError(f);
      case "identified":
        return identified(f.ref || idSent.shift(), !!f.verified);
      case "conversation": // the answer to POST /widget/send names the conversation
        if (f.id && f.id !== cid && !left.has(f.id)) follow(f.id);
        return;
      case "typing": // not in the protocol yet: proposed as {t: "typing", name}
        typingEl.textContent = t("typing", { name: f.name || S.agent });
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => (typingEl.textContent = ""), 6000);
    }
  }

  function onWelcome(f) {
    token = f.visitor;
    store("localStorage", "ponte.visitor", token);
    welcomed = true;
    tries = 0;
    if (!sse) wsFails = 0;
    const id = f.conversation ? f.conversation.id : null;
    if (id !== cid) follow(id);
    if (f.conversation) conv = f.conversation;
    const waiting = queue;
    queue = [];
    idSent = [];
    if (ident) sendIdent(); // first: a conversation started next belongs to the contact
    waiting.forEach(transmit);
    pending.forEach((p) => transmit(p.frame)); // same client ids: the server stores each once
    render();
    if (!ready) {
      ready = true;
      emit("ready", {});
    }
  }

  function onState(c) {
    if (!c || left.has(c.id)) return;
    if (c.id !== cid) follow(c.id);
    conv = c;
    render();
  }

  function onAck(f) {
    const p = pending.get(f.id);
    if (!p) return;
    pending.delete(f.id);
    p.el.querySelector(".ms")?.remove();
    p.el.classList.remove("pend");
    if (f.conversation && f.conversation !== cid) {
      p.el.remove(); // written after the close: it opened a new conversation, whose log follows
      return follow(f.conversation);
    }
    if (seen.has(f.event)) p.el.remove();
    else awaiting.set(f.event, p.el);
  }

  function onErrors(errors) {
    let first = null;
    for (const [field, code] of Object.entries(errors)) {
      const input = root.getElementById("pw-f-" + field);
      const out = root.getElementById("pw-e-" + field);
      if (input) input.setAttribute("aria-invalid", "true");
      if (out) out.textContent = S[code] || S.invalid;
      else alertEl.textContent = S[code] || S.invalid;
      first = first || input;
    }
    for (const input of stage.querySelectorAll("[aria-invalid]")) {
      if (!(input.name in errors)) {
        input.removeAttribute("aria-invalid");
        root.getElementById("pw-e-" + input.name).textContent = "";
      }
    }
    first?.focus();
  }

  function onError(f) {
    if (/^id:/.test(f.ref)) {
      idSent.shift(); // answers come in order
      console.error("Ponte: identify was refused:", f.message); // the site's to fix
      return identified(f.ref, false);
    }
    const p = f.ref && pending.get(f.ref);
    if (p) {
      pending.delete(f.ref);
      failed(p.el, f);
    }
    if (f.code === "bad_visitor") {
      token = null; // a welcome with a new visitor follows
      return;
    }
    alertEl.textContent = errorText(f);
  }

  // -- transports: WebSocket, or SSE + POST where WebSockets are blocked ----------------------

  function page() {
    return { url: location.href, title: flash ? baseTitle : document.title, referrer: document.referrer };
  }

  function connect() {
    clearTimeout(timer);
    if (sock || es) return;
    welcomed = false;
    if (sse) return openSse();
    let ws;
    try {
      ws = new WebSocket(WS_URL);
    } catch (e) {
      return down();
    }
    sock = ws;
    ws.onopen = () => {
      const hello = { t: "hello", visitor: token, site: SITE, lang: LANG, page: page() };
      ws.send(JSON.stringify({ ...hello, conversation: cid, last }));
    };
    ws.onmessage = (e) => receive(e.data);
    ws.onclose = () => {
      if (sock !== ws) return;
      sock = null;
      down();
    };
  }

  function openSse() {
    const q = new URLSearchParams({
      visitor: token || "",
      conversation: cid || "",
      last: last || "",
      lang: LANG,
      site: SITE,
      ...page(),
    });
    const src = (es = new EventSource(BASE + "/widget/sse?" + q));
    src.onmessage = (e) => receive(e.data);
    src.onerror = () => {
      src.close();
      if (es !== src) return;
      es = null;
      down();
    };
  }

  function receive(data) {
    let f;
    try {
      f = JSON.parse(data);
    } catch (e) {
      return;
    }
    onFrame(f);
  }

  // Reconnect with exponential back-off and jitter; three WebSocket failures before any
  // welcome mean a proxy blocks WebSockets: switch to SSE for the rest of the page's life.
  function down() {
    const had = welcomed;
    welcomed = false;
    if (!sse && !had && ++wsFails >= 3) sse = true;
    const delay = Math.min(30000, 500 * 2 ** tries++) * (0.5 + Math.random() / 2);
    timer = setTimeout(connect, delay);
    renderStatus();
  }

  function transmit(frame) {
    if (!sse) {
      if (sock && sock.readyState === 1) sock.send(JSON.stringify(frame));
      return;
    }
    const body = JSON.stringify({ visitor: token, conversation: cid, site: SITE, frame });
    fetch(BASE + "/widget/send", { method: "POST", headers: { "Content-Type": "text/plain" }, body })
      .then((r) => r.json())
      .then(
        (b) => (b.frames || []).forEach(onFrame),
        // a lost POST: a message is tried again (same id); other frames are the customer's to redo
        () => frame.t === "say" && setTimeout(retry, 3000, frame)
      );
  }

  function retry(frame) {
    if (pending.has(frame.id) && welcomed) transmit(frame);
  }

  function send(frame) {
    alertEl.textContent = "";
    if (welcomed) transmit(frame);
    else queue.push(frame);
  }

  // -- the page around us ---------------------------------------------------------------------

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) return;
    stopFlash();
    markRead();
  });
  addEventListener("storage", (e) => {
    if (e.key !== "ponte.read" || !root) return;
    read = json("ponte.read"); // another tab showed the messages
    if (read.c === cid && last && read.e && cmp(last, read.e) <= 0) {
      unread = 0;
      badge();
      stopFlash();
    }
  });
  addEventListener("online", () => root && !welcomed && connect());
  const moved = () => welcomed && transmit({ t: "page", page: page() });
  addEventListener("popstate", moved);
  addEventListener("hashchange", moved);

  // -- the host page's API: docs/widget-api.md ----------------------------------------------

  function emit(name, detail) {
    for (const fn of [...(handlers[name] || [])]) {
      try {
        fn(detail);
      } catch (e) {
        setTimeout(() => {
          throw e; // the page's own error, reported as such; the widget goes on
        });
      }
    }
  }

  // A verified identity joins the visitor to the site's user (history across devices); without
  // an id it only fills in the pre-chat form. Re-sent after every welcome (a reconnection, or a
  // new visitor token); answers come in order, or name their `ref`.
  function identify(info) {
    const { hmac, ...user } = info || {};
    for (const k of ["name", "email", "phone"]) if (user[k]) prefill[k] = String(user[k]);
    if (typeof user.fields === "object") Object.assign(prefill, user.fields);
    if (user.id == null || user.id === "") return Promise.resolve(false);
    user.id = String(user.id);
    ident = { t: "identify", id: "id:" + ++idSeq, user, hmac: String(hmac || "") };
    if (welcomed) sendIdent();
    return new Promise((resolve) => idWait.push([ident.id, resolve]));
  }

  function sendIdent() {
    idSent.push(ident.id);
    transmit(ident);
  }

  // Resolves `ref` and every call before it: a newer identity replaced those.
  function identified(ref, verified) {
    const n = idWait.findIndex((w) => w[0] === ref) + 1;
    idWait.splice(0, n).forEach((w) => w[1](verified));
    emit("identified", { verified });
  }

  const api = Object.freeze({
    widget: 1,
    open: () => (root ? openPanel(true) : (openAsked = true)),
    close: () =>
      root ? closePanel(false) : ((openAsked = false), store("sessionStorage", "ponte.open", null)),
    show: () => ((hiddenLauncher = false), launcher && (launcher.hidden = false)),
    hide: () => ((hiddenLauncher = true), launcher && (launcher.hidden = true)),
    identify,
    on: (name, fn) => {
      if (typeof fn !== "function") return api;
      (handlers[name] = handlers[name] || new Set()).add(fn);
      // a late listener of "ready" still hears it, once, never from inside on()
      if (name === "ready" && ready) setTimeout(() => handlers.ready.has(fn) && fn({}));
      return api;
    },
    off: (name, fn) => (handlers[name]?.delete(fn), api),
  });
  if (!window.Ponte) window.Ponte = api; // never replace a page's own `Ponte`

  // ponte("name", ...args): the command queue. The page's one-line stub keeps calls made before
  // this script ran in ponte.q; they run now, in order, and later calls run at once.
  const command = (name, ...args) =>
    typeof api[name] === "function"
      ? api[name](...args)
      : console.error("Ponte: unknown command", name);
  const stub = window.ponte;
  if (!stub || typeof stub === "function") {
    window.ponte = command;
    for (const args of (stub && stub.q) || []) command(...args);
  }

  function load(attempt) {
    fetch(BASE + "/widget/config?" + new URLSearchParams({ site: SITE, lang: LANG }))
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then(build, (e) => {
        if (e === 403 || attempt >= 5)
          return console.error("Ponte: the chat widget is not available here", e);
        setTimeout(load, 1000 * 2 ** attempt, attempt + 1);
      });
  }
  load(0);
})();
