"""The review page's inline style sheet and script (``review.build_html`` embeds both).

    >>> ".p-targets{" in CSS and "hashchange" in JS
    True
"""

from __future__ import annotations

from .view import KINDS

_COLOURS = {  # kind → (highlight background, strong colour)
    "targets": ("#c9f0c4", "#2f8f2a"),
    "deadlines": ("#f6d0f1", "#a8329b"),
    "frequencies": ("#c8ecf6", "#17819f"),
    "units": ("#fbe7a1", "#a27c00"),
    "leaders": ("#d3ddff", "#3654c9"),
}

CSS = (
    ":root{--cjk:system-ui,-apple-system,'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC',"
    "'Hiragino Sans GB','Microsoft YaHei','WenQuanYi Micro Hei','WenQuanYi Zen Hei',sans-serif;"
    + "".join(f"--{k}:{bg};--{k}-x:{fg};" for k, (bg, fg) in _COLOURS.items())
    + "}"
    "*{box-sizing:border-box}html,body{margin:0;height:100%}"
    "body{font:14px/1.5 var(--cjk);color:#1d1d1f;background:#fafafa;display:flex;flex-direction:column}"
    "header{flex:none;display:flex;gap:14px;align-items:center;padding:6px 12px;background:#fff;border-bottom:1px solid #ddd}"
    "header .hint{color:#888;font-size:12px;margin-left:auto}.home{font-weight:600}"
    ".flt{padding:1px 8px;border-radius:10px;cursor:pointer;user-select:none}"
    ".doc{flex:1;min-height:0;display:grid;grid-template-columns:minmax(300px,36%) 1fr}.doc[hidden],#index[hidden]{display:none}"
    ".side{overflow:auto;border-right:1px solid #ddd;background:#fff;padding:10px 12px}"
    ".side h1{font-size:16px;margin:0 0 4px}.src{color:#777;font-size:12px;word-break:break-all}"
    "dl{display:grid;grid-template-columns:auto 1fr;gap:2px 8px;margin:8px 0;font-size:12px}dt{color:#777}dd{margin:0}"
    ".chips{display:flex;flex-wrap:wrap;gap:4px;margin:6px 0}.chip{padding:0 6px;border-radius:8px;font-size:12px}"
    ".tools button{font-size:12px;margin:4px 4px 8px 0}"
    "details{margin-left:12px}.tree>details{margin-left:0}summary{cursor:pointer;padding:1px 0}"
    ".go:hover{text-decoration:underline}.lbl{margin-right:2px}.n{color:#888;font-size:11px}"
    ".fs{list-style:none;margin:2px 0 4px 14px;padding:0}"
    ".f{margin:2px 0;padding:2px 6px;border-left:4px solid;border-radius:3px;cursor:pointer;font-size:13px}"
    ".f q{color:#555}.f q::before{content:'“'}.f q::after{content:'”'}.kd{font-weight:600;font-size:11px;margin-right:4px}"
    ".f[data-nospan]{border-left-style:dashed}.f.cur{outline:2px solid #e0312b}"
    ".text{overflow:auto;background:#fafafa}"
    ".body{tab-size:4;white-space:pre-wrap;word-break:break-word;font:17px/1.9 var(--cjk);max-width:52em;margin:0 auto;padding:24px 32px 60vh}"
    ".pg{content-visibility:auto}.ml{font-weight:700;color:#0b4f9c}.anc{display:inline}"
    "[class*=p-]{border-radius:2px;cursor:pointer}"
    ".cur{outline:2px solid #e0312b;outline-offset:1px}"
    ".flash{animation:flash .6s ease-in-out 3}"
    "@keyframes flash{0%,100%{background:#ff9f80}50%{background:#ffd5c7}}"
    + "".join(
        f".k-{k}{{background:var(--{k})}}.f.k-{k},.kd.k-{k}{{border-color:var(--{k}-x)}}.k-{k} .kd{{color:var(--{k}-x)}}"
        f".p-{k}{{background:var(--{k})}}.s-{k}{{box-shadow:inset 0 -3px var(--{k}-x)}}"
        f"body.hide-{k} .p-{k}{{background:none}}body.hide-{k} .s-{k}{{box-shadow:none}}body.hide-{k} .f.k-{k}{{display:none}}"
        for k in KINDS
    )
    + "#index{flex:1;overflow:auto;padding:16px 24px}#index h1{font-size:18px}"
    "table{border-collapse:collapse;background:#fff}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left}"
    "td:nth-child(n+3){text-align:right}tfoot td{font-weight:600}"
    ".warn{margin:6px 0;color:#a33;font-size:12px}"
)

# Event delegation only (no per-element listeners), so a large page stays light.
JS = r"""
(function(){
"use strict";
var body=document.body;
function sec(d){return document.getElementById('d'+d);}
function docOf(el){var s=el.closest('section.doc');return s?+s.dataset.doc:-1;}
function openTo(el){for(var p=el.parentElement;p;p=p.parentElement){if(p.tagName==='DETAILS')p.open=true;}}
function clearCur(s){s.querySelectorAll('.cur').forEach(function(e){e.classList.remove('cur','flash');});}
function flash(els){
  els.forEach(function(e){e.classList.remove('flash');void e.offsetWidth;e.classList.add('cur','flash');});
  setTimeout(function(){els.forEach(function(e){e.classList.remove('flash');});},1900);
}
function showMeasure(d,m){
  var s=sec(d),a=document.getElementById('d'+d+'-m'+m);
  if(!s||!a)return;
  clearCur(s);a.scrollIntoView({block:'start'});
  if(a.tagName!=='A')flash([a]);
}
function showFact(d,f,fromText){
  var s=sec(d);if(!s||!/^\d+$/.test(f))return;
  var li=s.querySelector('li.f[data-f="'+f+'"]');
  var runs=Array.prototype.slice.call(s.querySelectorAll('.body [data-f~="'+f+'"]'));
  clearCur(s);
  if(li){openTo(li);li.classList.add('cur');li.scrollIntoView({block:'nearest'});}
  if(runs.length){if(!fromText)runs[0].scrollIntoView({block:'center'});flash(runs);}
  else if(li){var m=li.closest('details');if(m&&m.dataset.m!=='-1')showMeasure(d,m.dataset.m);if(li)li.classList.add('cur');}
  history.replaceState(null,'','#d'+d+'-f'+f);
}
function route(){
  var h=location.hash.slice(1),m=/^d(\d+)(?:-([fm])(\d+))?$/.exec(h);
  var docs=document.querySelectorAll('section.doc'),cur=m?+m[1]:(docs.length===1?0:-1);
  if(cur>=docs.length)cur=docs.length===1?0:-1;
  docs.forEach(function(s,i){s.hidden=i!==cur;});
  var idx=document.getElementById('index');if(idx)idx.hidden=cur!==-1;
  if(m&&m[2]==='f')showFact(cur,m[3]);
  if(m&&m[2]==='m')showMeasure(cur,m[3]);
}
document.addEventListener('click',function(e){
  var t=e.target;
  var li=t.closest('li.f');
  if(li){showFact(docOf(li),li.dataset.f,false);return;}
  var go=t.closest('summary .go');
  if(go){e.preventDefault();var det=go.closest('details');if(det.dataset.m!=='-1')showMeasure(docOf(det),det.dataset.m);history.replaceState(null,'','#d'+docOf(det)+'-m'+det.dataset.m);return;}
  var run=t.closest('.body [data-f]');
  if(run){showFact(docOf(run),run.dataset.f.split(' ')[0],true);return;}
  var b=t.closest('.tools button');
  if(b){var open=b.dataset.act==='open';b.closest('.side').querySelectorAll('.tree details').forEach(function(x){x.open=open;});}
});
document.addEventListener('keydown',function(e){
  if(e.key==='Enter'&&e.target.matches&&e.target.matches('li.f'))showFact(docOf(e.target),e.target.dataset.f,false);
});
document.addEventListener('change',function(e){
  var k=e.target.dataset&&e.target.dataset.kind;
  if(k)body.classList.toggle('hide-'+k,!e.target.checked);
});
window.addEventListener('hashchange',route);
route();
})();
"""
