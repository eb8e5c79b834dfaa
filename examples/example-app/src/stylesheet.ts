/**
 * The example's one stylesheet (served at `/style.css`; the CSP allows no
 * inline styles). Disabled and read-only controls look it, and the reason
 * they are disabled is shown next to them (`.why`).
 */
export const STYLESHEET = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--accent:#0b5cad;--bad:#b42318;--bad-bg:#fef3f2;--ok:#1a7f37;--ok-bg:#effaf3;--warn-bg:#fff8e5;--warn:#8a5a00}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);max-width:64rem;margin:0 auto;padding:0 1rem 2rem}
a{color:var(--accent)}
nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;border-bottom:1px solid var(--line);padding:.75rem 0;margin-bottom:1rem}
nav .brand{font-weight:600;color:var(--fg);text-decoration:none}
nav .who{margin-left:auto;color:var(--muted)}
nav form{margin:0}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.15rem}
fieldset{border:1px solid var(--line);border-radius:6px;margin:1rem 0;padding:.75rem 1rem}
legend{font-weight:600;padding:0 .25rem}
label{display:block;margin:.35rem 0}
form{margin:.5rem 0}
input,select,button{font:inherit}
input[type=text],input[type=password],input[type=tel],input[type=search],input[type=date],input[type=number],select{padding:.35rem .5rem;border:1px solid var(--line);border-radius:4px;min-width:14rem;background:#fff}
button{padding:.35rem .9rem;border:1px solid var(--accent);border-radius:4px;background:var(--accent);color:#fff;cursor:pointer;margin:.2rem 0}
button.secondary{background:#fff;color:var(--accent)}
button.danger{background:var(--bad);border-color:var(--bad)}
button:disabled,select:disabled,input:disabled,input[readonly]{background:#eef1f4;color:#8c959f;border-color:var(--line);cursor:not-allowed}
fieldset:disabled{color:var(--muted)}
.why{display:block;color:var(--muted);font-size:.85rem}
.result:empty{display:none}
.result,.notice,.warning{padding:.5rem .75rem;margin:.5rem 0;border-radius:4px}
.error{background:var(--bad-bg);border:1px solid #f4b5ae;color:var(--bad)}
.ok,.notice{background:var(--ok-bg);border:1px solid #a7dcb6}
.warning{background:var(--warn-bg);border:1px solid #f0d48a;color:var(--warn)}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid var(--line);padding:.45rem;text-align:left;vertical-align:top}
th{font-size:.85rem;color:var(--muted);font-weight:600}
code.secret,ol.codes{font-family:ui-monospace,monospace;font-size:1.1rem}
.muted{color:var(--muted)}
.indent{margin-left:2rem}
.inline{display:inline-flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.inline label{margin:0}
details pre{white-space:pre-wrap;font-size:.8rem;background:#f6f8fa;padding:.5rem;border-radius:4px}
.locked{color:var(--bad)}
`;
