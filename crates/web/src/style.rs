//! The base stylesheet shared by every page, inlined into `<style>`.
//!
//! Mobile first: one column; from 700px the checkout splits into summary |
//! form. Colours come only from the custom properties set by
//! `theme::variables_css`, so a theme override reaches every element.

pub(crate) const BASE_CSS: &str = r#"
*,*::before,*::after{box-sizing:border-box}
html{font-size:var(--font-size);-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg-secondary);color:var(--text-primary);font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Noto Sans JP",sans-serif;line-height:1.5}
a{color:var(--button-primary)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:2px solid var(--input-focus-border);outline-offset:2px}
.page{max-width:1040px;margin:0 auto;padding:1rem}
.topbar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin-bottom:1rem}
.topbar h1{font-size:1.25rem;margin:0;flex:1 1 auto}
.back-link{text-decoration:none;font-weight:600}
.badge{display:inline-block;padding:.125rem .5rem;border-radius:999px;background:#fef3c7;color:#78350f;font-size:.8rem;font-weight:700}
.layout{display:grid;grid-template-columns:minmax(0,1fr);gap:1rem}
@media (min-width:700px){.layout{grid-template-columns:minmax(0,1fr) minmax(0,1.15fr);gap:2rem;align-items:start}.summary{position:sticky;top:1rem}.page{padding:2rem}}
.card{background:var(--bg-primary);border:1px solid var(--border-secondary);border-radius:var(--radius);padding:1.25rem}
h2{font-size:1.1rem;margin:0 0 .75rem}
.lines{list-style:none;margin:0 0 1rem;padding:0}
.line{display:flex;justify-content:space-between;gap:1rem;padding:.75rem 0;border-bottom:1px solid var(--border-secondary)}
.line-name{font-weight:600;margin:0}
.line-meta,.muted{color:var(--text-secondary);font-size:.9rem;margin:.125rem 0 0}
.tag{display:inline-block;margin-top:.25rem;padding:0 .4rem;border:1px solid var(--border-secondary);border-radius:var(--radius);font-size:.8rem;color:var(--text-secondary)}
.amount,.line-total{white-space:nowrap;font-variant-numeric:tabular-nums;text-align:right}
.totals{margin:0}
.totals div{display:flex;justify-content:space-between;padding:.25rem 0}
.totals dt{color:var(--text-secondary)}
.totals dd{margin:0}
.totals .grand{border-top:1px solid var(--border-secondary);margin-top:.5rem;padding-top:.75rem;font-weight:700;font-size:1.15rem}
.totals .grand dt{color:var(--text-primary)}
.codes{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.5rem}
.codes li{padding:.125rem .5rem;border:1px dashed var(--border-primary);border-radius:var(--radius);font-family:ui-monospace,monospace}
.inline-form{display:flex;gap:.5rem;align-items:flex-end;margin-top:1rem}
.inline-form .field{flex:1 1 auto;margin:0}
fieldset{border:0;margin:0 0 1.25rem;padding:0;min-width:0}
legend{font-size:1.05rem;font-weight:700;margin-bottom:.5rem;padding:0}
.field{margin-bottom:.75rem}
.row{display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:0 .75rem;align-items:end}
label{display:block;font-weight:600;font-size:.9rem;margin-bottom:.25rem}
.optional{font-weight:400;color:var(--text-secondary)}
input,select{display:block;width:100%;font:inherit;color:var(--text-primary);background:var(--bg-primary);border:1px solid var(--border-primary);border-radius:var(--radius);padding:.6rem .7rem;min-height:2.75rem}
input::placeholder{color:var(--text-placeholder)}
input:focus,select:focus{border-color:var(--input-focus-border)}
input[readonly],select:disabled{background:var(--bg-secondary);color:var(--text-secondary)}
input[aria-invalid=true],select[aria-invalid=true]{border-color:var(--text-error)}
.check{display:flex;gap:.5rem;align-items:flex-start}
.check input{width:auto;min-height:0;margin-top:.3rem}
.check label{font-weight:400}
.choices{display:flex;flex-wrap:wrap;gap:.5rem}
.choice{display:flex;align-items:center;gap:.5rem;border:1px solid var(--border-primary);border-radius:var(--radius);padding:.5rem .75rem;margin:0}
.choice input{width:auto;min-height:0}
.hint{color:var(--text-secondary);font-size:.85rem;margin:.25rem 0 .75rem}
button{font:inherit;font-weight:700;cursor:pointer;border-radius:var(--radius);min-height:2.75rem;padding:.6rem 1rem;border:1px solid transparent}
.btn-primary{width:100%;background:var(--button-primary);color:var(--button-text-primary);font-size:1.05rem}
.btn-primary:hover{background:var(--button-primary-hover)}
.btn-secondary{background:var(--button-secondary);color:var(--button-text-secondary);border-color:var(--border-primary)}
.btn-secondary:hover{background:var(--button-secondary-hover)}
.alert{border:1px solid var(--text-error);color:var(--text-error);background:var(--bg-primary);border-radius:var(--radius);padding:.75rem 1rem;margin-bottom:1rem}
.alert:empty{display:none}
.alert h2{font-size:1rem;margin:0 0 .25rem}
.alert ul{margin:0;padding-left:1.25rem}
.alert a{color:inherit}
.success{color:var(--text-success)}
.narrow{max-width:32rem;margin:2rem auto}
.narrow .actions{display:grid;gap:.75rem;margin-top:1.25rem}
.actions button{width:100%}
.btn-link{display:block;text-align:center;text-decoration:none}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
form:has(#pm-upi:checked) #pm-details-card,form:has(#pm-card:checked) #pm-details-upi{display:none}
@media (prefers-reduced-motion:no-preference){button{transition:background-color .15s}}
"#;
