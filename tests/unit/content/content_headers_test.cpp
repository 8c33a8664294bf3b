// The small pure parts of the content compiler: media types, HTTP dates, entity tags.
#include "controlplane/content/media_types.h"
#include "controlplane/content/response_headers.h"

#include <catch2/catch.hpp>

using namespace ringcast::content;

TEST_CASE("media types by extension, any case") {
    CHECK(media_type_for("index.html") == "text/html; charset=utf-8");
    CHECK(media_type_for("INDEX.HTM") == "text/html; charset=utf-8");
    CHECK(media_type_for("app.js") == "text/javascript; charset=utf-8");
    CHECK(media_type_for("data.json") == "application/json");
    CHECK(media_type_for("logo.SVG") == "image/svg+xml");
    CHECK(media_type_for("font.woff2") == "font/woff2");
    CHECK(media_type_for("archive.tar.gz") == "application/gzip");
    CHECK(media_type_for("README") == kDefaultMediaType);
    CHECK(media_type_for("file.") == kDefaultMediaType);
    CHECK(media_type_for("x.unknownextensionthatislong") == kDefaultMediaType);
}

TEST_CASE("HTTP dates are IMF-fixdate (RFC 9110 §5.6.7)") {
    CHECK(http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(http_date(1709251199) == "Thu, 29 Feb 2024 23:59:59 GMT");
}

TEST_CASE("entity tags: quoted, 128 bits of SHA-256") {
    // SHA-256("") = e3b0c442 98fc1c14 9afbf4c8 996fb924 ...
    CHECK(entity_tag({}) == "\"e3b0c44298fc1c149afbf4c8996fb924\"");
}
