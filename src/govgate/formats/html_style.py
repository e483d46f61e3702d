"""report.html's one inline style sheet: readable from a 390 px phone to a wide screen without
horizontal scrolling, printable (no table cut across pages, each section on a new page), and
AA contrast for every colour pair it uses (each text colour is at least 4.5:1 on its background).
"""

STYLE = """\
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;
background:#fff;overflow-wrap:anywhere}
.wrap{max-width:72rem;margin:0 auto;padding:0 1rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
pre{white-space:pre-wrap;background:#f6f8fa;border:1px solid #d0d7de;padding:.5rem .75rem;
border-radius:6px}
a{color:#0550ae}a:focus-visible{outline:3px solid #0550ae;outline-offset:2px}
h1{font-size:1.6rem;line-height:1.25;margin:.25rem 0 .5rem}
h2{font-size:1.35rem;margin:2.25rem 0 .75rem;padding-bottom:.25rem;border-bottom:2px solid #d0d7de}
h3{font-size:1.1rem;margin:0 0 .5rem}
.banner{color:#fff;padding:1.25rem 0 1rem}
.banner-pass{background:#116329}.banner-fail{background:#a40e26}.banner-error{background:#6f3b00}
.banner .subject{font-size:1.25rem;font-weight:700;margin:0}
.banner .lead{font-size:1.05rem;margin:.25rem 0 .75rem}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.5rem 1.5rem;
margin:0}
.facts div{min-width:0}.facts dt{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em}
.facts dd{margin:0;font-weight:600}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.75rem;
list-style:none;padding:0;margin:1.25rem 0 0}
.tile{border:1px solid #d0d7de;border-left-width:6px;border-radius:6px;padding:.5rem .75rem;
background:#fff}
.tile .count{display:block;font-size:1.8rem;font-weight:700;line-height:1.1}
.tile-bad{border-left-color:#a40e26}.tile-bad .count{color:#a40e26}
.tile-warn{border-left-color:#7d4e00}.tile-warn .count{color:#7d4e00}
.tile-good{border-left-color:#116329}.tile-good .count{color:#116329}
.tile-neutral{border-left-color:#6e7781}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:1rem 0 0}
.card{border:1px solid #d0d7de;border-radius:6px;padding:.75rem 1rem;margin:0 0 1rem;
break-inside:avoid}
.card-fail,.card-error{border-left:6px solid #a40e26}.card-warn{border-left:6px solid #7d4e00}
.card-ok{border-left:6px solid #116329}.card-void{border-left:6px solid #6e7781}
.badge{display:inline-block;font-size:.8rem;font-weight:700;text-transform:uppercase;
letter-spacing:.03em;border-radius:4px;padding:0 .4rem;margin-right:.35rem;color:#fff;
vertical-align:.1em}
.badge-fail,.badge-error,.badge-void,.badge-rejected,.badge-expired,.badge-invalid,
.badge-missing{background:#a40e26}
.badge-warn,.badge-expiring,.badge-waived{background:#7d4e00}
.badge-pass,.badge-valid,.badge-active,.badge-met{background:#116329}
.badge-skipped,.badge-closed{background:#57606a}
.rule-id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.fields{display:grid;grid-template-columns:minmax(8rem,12rem) minmax(0,1fr);gap:.35rem 1rem;
margin:0}
.fields dt{font-weight:600;color:#424a53}.fields dd{margin:0;min-width:0}
.fields dd p{margin:0 0 .35rem}
.meta{color:#57606a}
ul{margin:.25rem 0;padding-left:1.25rem}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:.5rem 0 1rem}
th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
thead th{background:#f6f8fa}
caption{text-align:left;font-weight:600;padding:.25rem 0}
.digest{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;
word-break:break-all}
details{margin:.5rem 0}summary{cursor:pointer;font-weight:600;padding:.25rem 0}
footer{margin:2.5rem 0 2rem;padding-top:.75rem;border-top:1px solid #d0d7de;color:#57606a}
@media (max-width:40rem){
.fields{grid-template-columns:minmax(0,1fr)}.fields dd{margin-bottom:.4rem}
table.stack,table.stack tbody,table.stack tr,table.stack td,table.stack th{display:block;
width:100%}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack tr{border:1px solid #d0d7de;border-radius:6px;margin:0 0 .75rem;padding:.25rem 0}
table.stack td,table.stack tbody th{border:0;padding:.2rem .6rem}
table.stack td::before{content:attr(data-label) ": ";font-weight:600;color:#424a53}
h1{font-size:1.35rem}
}
@media print{
body{font-size:11pt}.wrap{max-width:none}
.banner{color:#000;background:none!important;border:2px solid #000;padding:.5rem}
.tile{break-inside:avoid}nav{display:none}
main>section{break-before:page}main>section:first-child{break-before:auto}
.card,tr,dl,pre{break-inside:avoid}thead{display:table-header-group}
a{color:#000}a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em}
details::details-content{content-visibility:visible;display:block}
summary{list-style:none}
}"""
