#include "render/meeting_summary.hpp"

#include <fmt/format.h>

#include "render/markdown_html.hpp"
#include "render/rows.hpp"

namespace fieldbook::render {
std::string meeting_summary_html(const std::string& markdown, const std::string& title) {
    std::string body = markdown_html(markdown);
    return fmt::format(R"html(<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       font-size: 10pt; margin: 1.5em; max-width: 60em; }}
h1 {{ font-size: 15pt; }} h2 {{ font-size: 12pt; border-bottom: 1px solid #000; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.5em 0; }}
th, td {{ text-align: left; padding: 2px 6px; border-bottom: 1px solid #ccc; vertical-align: top; }}
@media print {{ @page {{ size: A4; margin: 12mm; }} body {{ margin: 0; }}
  h2 {{ break-after: avoid; }} tr {{ break-inside: avoid; }} }}
</style>
</head>
<body>
{}</body>
</html>
)html",
                       html_escape(title), body);
}

}  // namespace fieldbook::render
