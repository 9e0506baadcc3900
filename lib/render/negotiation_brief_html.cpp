#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <fmt/format.h>

#include <cstdlib>
#include <memory>

#include "render/negotiation_brief.hpp"
#include "render/negotiation_brief_parts.hpp"

namespace fieldbook::render {

// The Markdown brief through cmark-gfm, as the meeting summary is: one source for both.
std::string negotiation_brief_html(const negotiation::Sheet& sheet) {
    std::string markdown = negotiation_brief_markdown(sheet);
    // Safe mode (the default): raw HTML in anyone's text is not passed through.
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
                       html_escape(brief_parts::title(sheet)), body.get());
}

}  // namespace fieldbook::render
