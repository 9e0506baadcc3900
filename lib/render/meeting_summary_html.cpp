#include "render/meeting_summary.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <fmt/format.h>

#include <cstdlib>
#include <memory>

#include "render/rows.hpp"

namespace fieldbook::render {
std::string meeting_summary_html(const std::string& markdown, const std::string& title) {
    // Safe mode (the default): raw HTML in anyone's notes is not passed through.
    cmark_gfm_core_extensions_ensure_registered();
    std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> parser(
        cmark_parser_new(CMARK_OPT_DEFAULT), &cmark_parser_free);
    if (cmark_syntax_extension* table = cmark_find_syntax_extension("table"))
        cmark_parser_attach_syntax_extension(parser.get(), table);
    cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
    std::unique_ptr<cmark_node, decltype(&cmark_node_free)> document(
        cmark_parser_finish(parser.get()), &cmark_node_free);
    std::unique_ptr<char, decltype(&std::free)> body(
        cmark_render_html(document.get(), CMARK_OPT_DEFAULT,
                          cmark_parser_get_syntax_extensions(parser.get())),
        &std::free);
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
                       html_escape(title), body.get());
}

}  // namespace fieldbook::render
