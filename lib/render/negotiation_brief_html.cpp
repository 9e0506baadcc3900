#include <fmt/format.h>

#include "render/markdown_html.hpp"
#include "render/negotiation_brief.hpp"
#include "render/negotiation_brief_parts.hpp"

namespace fieldbook::render {

// The Markdown brief through cmark-gfm, as the meeting summary is: one source for both.
std::string negotiation_brief_html(const negotiation::Sheet& sheet) {
    std::string markdown = negotiation_brief_markdown(sheet);
    std::string body = markdown_html(markdown);
    return fmt::format(R"html(<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       font-size: 10pt; margin: 1.5em; max-width: 50em; }}
h1 {{ font-size: 14pt; margin: 0 0 0.3em; }}
h2 {{ font-size: 11pt; margin: 0.8em 0 0.2em; border-bottom: 1px solid #000; }}
ul {{ margin: 0.2em 0; }} p {{ margin: 0.2em 0; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: 2px 6px; border-bottom: 1px solid #ccc; vertical-align: top; }}
@media print {{ @page {{ size: A4; margin: 12mm; }} body {{ margin: 0; font-size: 9pt; }}
  h2 {{ break-after: avoid; }} tr {{ break-inside: avoid; }} }}
</style>
</head>
<body>
{}</body>
</html>
)html",
                       html_escape(brief_parts::title(sheet)), body);
}

}  // namespace fieldbook::render
