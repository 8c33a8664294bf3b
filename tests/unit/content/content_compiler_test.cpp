// The content compiler on real directory trees: every object and variant read back through the
// dataplane's reader, headers byte for byte, index.html routes, what is left out, and the
// errors a broken site gives.
#include "content_test_util.h"
#include "controlplane/content/content_compiler.h"
#include "dataplane/content/reader.h"

#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

using namespace ringcast;
using content::test::TempTree;
namespace fs = std::filesystem;

namespace {

constexpr const char* kCss = "body{color:red}\n";
constexpr const char* kCssGz = "\x1f\x8bGZIPPED-CSS"; // only the magic is checked
// The first 128 bits of their SHA-256 (sha256sum).
constexpr const char* kCssEtag = "\"74d94aede163ac74eb42fe7cac406662\"";
constexpr const char* kCssGzEtag = "\"fceb661fb6b2cd77109475ee728a429c\"";

std::string as_string(std::span<const std::byte> body) {
    return {reinterpret_cast<const char*>(body.data()), body.size()};
}

// The demo-like tree most tests use.
void write_site(const TempTree& t) {
    t.write("www/index.html", "<h1>home</h1>\n");
    t.write("www/style.css", kCss);
    t.write("www/style.css.gz", kCssGz);
    t.write("www/style.css.br", "BROTLI-CSS");
    t.write("www/docs/index.html", "<h1>docs</h1>\n");
    t.write("www/docs/notes.txt", "notes\n");
    t.write("www/data.bin", std::string(1000, '\x5a'));
    t.write("www/.secret", "not served\n");
    t.write("www/.git/config", "not served either\n");
    t.write("www/orphan.gz", "\x1f\x8b-alone"); // no "orphan": an object of its own
    t.write("outside.txt", "outside\n");
    fs::create_symlink(t.dir / "outside.txt", t.dir / "www/leak.txt");
    fs::create_symlink("docs/notes.txt", t.dir / "www/alias.txt");
}

content::SiteSource site_of(const TempTree& t, const std::string& cache_control = "") {
    return content::SiteSource{
        {"www.example.net", "example.net"}, (t.dir / "www").string(), cache_control};
}

struct Compiled {
    content::ContentResult result;
    std::unique_ptr<content::Snapshot> snapshot;
};

Compiled compile_ok(const std::vector<content::SiteSource>& sites,
                    content::ContentOptions options = {}) {
    Compiled out;
    out.result = content::compile_content(sites, options);
    INFO((out.result.errors.empty() ? std::string() : out.result.errors.front()));
    REQUIRE(out.result.ok);
    std::string error;
    out.snapshot = content::Snapshot::open_memory(out.result.image, error);
    INFO(error);
    REQUIRE(out.snapshot);
    return out;
}

bool has_message(const std::vector<std::string>& messages, const std::string& part) {
    for (const std::string& m : messages)
        if (m.find(part) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("content: every object and variant reads back through the reader") {
    TempTree t;
    write_site(t);
    const Compiled c = compile_ok({site_of(t, "public, max-age=3600")});
    const content::View& view = c.snapshot->view();

    // index.html, style.css, docs/index.html, docs/notes.txt, data.bin, orphan.gz, alias.txt
    CHECK(c.result.objects == 7);
    CHECK(view.object_count() == 7);
    CHECK(view.site_count() == 1);
    REQUIRE(c.result.sites.size() == 1);
    CHECK(c.result.sites[0].variants == 9); // style.css has three
    CHECK(c.result.body_bytes == view.body_bytes());

    struct Expect {
        const char* path;
        std::string body;
        uint8_t variants;
    };
    const Expect expected[] = {
        {"/", "<h1>home</h1>\n", 1},
        {"/index.html", "<h1>home</h1>\n", 1},
        {"/style.css", kCss, 3},
        {"/docs/", "<h1>docs</h1>\n", 1},
        {"/docs", "<h1>docs</h1>\n", 1},
        {"/docs/index.html", "<h1>docs</h1>\n", 1},
        {"/docs/notes.txt", "notes\n", 1},
        {"/alias.txt", "notes\n", 1},
        {"/data.bin", std::string(1000, '\x5a'), 1},
        {"/orphan.gz", "\x1f\x8b-alone", 1},
    };
    for (const Expect& e : expected) {
        INFO(e.path);
        for (const char* host : {"www.example.net", "EXAMPLE.net", "Www.Example.Net"}) {
            const auto object = view.find(host, e.path);
            REQUIRE(object);
            CHECK(object->variant_count == e.variants);
            CHECK(object->variants[0].encoding == content::Encoding::identity);
            CHECK(as_string(object->variants[0].body) == e.body);
            CHECK(object->last_modified_unix == content::test::kFixedMtime);
            for (const content::VariantView& v : object->all()) {
                // Aligned in the file; in memory too when the image is (a FileImage is).
                const auto at =
                    reinterpret_cast<const uint8_t*>(v.body.data()) - c.result.image.data();
                CHECK(at % content::kBodyAlignment == 0);
                CHECK(v.headers.find(std::string("ETag: ") + std::string(v.etag) + "\r\n") !=
                      std::string_view::npos);
            }
        }
    }
    const auto css = view.find("www.example.net", "/style.css");
    REQUIRE(css);
    CHECK(css->variants[1].encoding == content::Encoding::gzip);
    CHECK(as_string(css->variants[1].body) == kCssGz);
    CHECK(css->variants[2].encoding == content::Encoding::br);
    CHECK(as_string(css->variants[2].body) == "BROTLI-CSS");

    // Left out: dotfiles, the symlink leaving the root, siblings under their own names.
    for (const char* path : {"/.secret", "/.git/config", "/leak.txt", "/style.css.gz",
                             "/style.css.br", "/nope", "", "/DOCS/", "/docs//"}) {
        INFO(path);
        CHECK_FALSE(view.find("www.example.net", path));
    }
    CHECK_FALSE(view.find("other.example.net", "/"));
    CHECK_FALSE(view.find("", "/"));
    CHECK_FALSE(view.find(std::string(300, 'a'), "/"));
    CHECK(has_message(c.result.warnings, ".secret: dotfiles are not served"));
    CHECK(has_message(c.result.warnings, ".git: dotfiles are not served"));
    CHECK(has_message(c.result.warnings, "leak.txt: symlink points outside the root"));
}

TEST_CASE("content: precomputed headers, exactly") {
    TempTree t;
    write_site(t);
    const Compiled c = compile_ok({site_of(t, "public, max-age=3600")});
    const auto css = c.snapshot->view().find("example.net", "/style.css");
    REQUIRE(css);
    CHECK(css->variants[0].etag == kCssEtag);
    CHECK(css->variants[0].headers == std::string("Content-Type: text/css; charset=utf-8\r\n"
                                                  "ETag: ") +
                                          kCssEtag +
                                          "\r\n"
                                          "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                                          "Cache-Control: public, max-age=3600\r\n"
                                          "Vary: Accept-Encoding\r\n"
                                          "Accept-Ranges: bytes\r\n");
    CHECK(css->variants[1].etag == kCssGzEtag);
    CHECK(css->variants[1].headers == std::string("Content-Type: text/css; charset=utf-8\r\n"
                                                  "Content-Encoding: gzip\r\n"
                                                  "ETag: ") +
                                          kCssGzEtag +
                                          "\r\n"
                                          "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                                          "Cache-Control: public, max-age=3600\r\n"
                                          "Vary: Accept-Encoding\r\n"
                                          "Accept-Ranges: bytes\r\n");
    CHECK(css->variants[2].headers.find("Content-Encoding: br\r\n") != std::string_view::npos);

    // One variant: no Vary. No cache_control configured: no Cache-Control.
    const Compiled bare = compile_ok({site_of(t)});
    const auto bin = bare.snapshot->view().find("example.net", "/data.bin");
    REQUIRE(bin);
    CHECK(bin->variants[0].headers.find("Content-Type: application/octet-stream\r\nETag: \"") == 0);
    CHECK(bin->variants[0].headers.find("Vary") == std::string_view::npos);
    CHECK(bin->variants[0].headers.find("Cache-Control") == std::string_view::npos);
    const auto txt = bare.snapshot->view().find("example.net", "/docs/notes.txt");
    REQUIRE(txt);
    CHECK(txt->variants[0].headers.find("Content-Type: text/plain; charset=utf-8\r\n") == 0);
}

TEST_CASE("content: ETags depend on the bytes alone; same inputs, same image") {
    TempTree t;
    write_site(t);
    content::ContentOptions options;
    options.generation = 7;
    options.created_unix = 1700000000;
    options.hash_seed = 0x1234;
    const Compiled a = compile_ok({site_of(t)}, options);
    const Compiled b = compile_ok({site_of(t)}, options);
    CHECK(a.result.image == b.result.image);

    options.hash_seed = 0x9876; // another PoP: another seed, the same tags
    TempTree other;
    write_site(other);
    const Compiled c = compile_ok({site_of(other)}, options);
    CHECK(c.result.image != a.result.image);
    for (const char* path : {"/", "/style.css", "/data.bin", "/docs/notes.txt"}) {
        INFO(path);
        const auto x = a.snapshot->view().find("example.net", path);
        const auto y = c.snapshot->view().find("example.net", path);
        REQUIRE(x);
        REQUIRE(y);
        REQUIRE(x->variant_count == y->variant_count);
        for (size_t i = 0; i < x->variant_count; ++i)
            CHECK(x->variants[i].etag == y->variants[i].etag);
    }
}

TEST_CASE("content: two sites, the same path in each, hosts kept apart") {
    TempTree t;
    t.write("a/index.html", "site a\n");
    t.write("b/index.html", "site b\n");
    const Compiled c =
        compile_ok({{{"a.example.net"}, (t.dir / "a").string(), ""},
                    {{"b.example.net", "b.example.org"}, (t.dir / "b").string(), "no-store"}});
    const content::View& view = c.snapshot->view();
    CHECK(view.site_count() == 2);
    CHECK(as_string(view.find("a.example.net", "/")->variants[0].body) == "site a\n");
    CHECK(as_string(view.find("b.example.org", "/")->variants[0].body) == "site b\n");
    CHECK(view.find("b.example.net", "/index.html")
              ->variants[0]
              .headers.find("Cache-Control: no-store\r\n") != std::string_view::npos);
}

TEST_CASE("content: no sites is an empty, valid image; an empty snapshot misses") {
    const Compiled c = compile_ok({});
    CHECK(c.snapshot->view().site_count() == 0);
    CHECK_FALSE(c.snapshot->view().find("example.net", "/"));
    const auto empty = content::Snapshot::empty();
    CHECK_FALSE(empty->view().find("example.net", "/"));
    CHECK(empty->view().object_count() == 0);
}

TEST_CASE("content: a missing root is an error naming the site and the root") {
    TempTree t;
    const auto result =
        content::compile_content({{{"www.example.net"}, (t.dir / "missing").string(), ""}}, {});
    CHECK_FALSE(result.ok);
    CHECK(result.image.empty());
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].find("site www.example.net: root " + (t.dir / "missing").string()) == 0);
    CHECK(result.errors[0].find("No such file or directory") != std::string::npos);

    t.write("file", "x");
    const auto not_dir =
        content::compile_content({{{"www.example.net"}, (t.dir / "file").string(), ""}}, {});
    REQUIRE(not_dir.errors.size() == 1);
    CHECK(not_dir.errors[0].find("not a directory") != std::string::npos);
}

TEST_CASE("content: an unreadable file is an error naming it") {
    TempTree t;
    const fs::path secret = t.write("www/secret.html", "x");
    t.write("www/index.html", "ok");
    fs::permissions(t.dir, fs::perms(0755));
    fs::permissions(secret, fs::perms::none);
    auto attempt = [&] {
        const auto result = content::compile_content({site_of(t)}, {});
        return !result.ok && result.errors.size() == 1 &&
               result.errors[0].find("cannot open " + secret.string() + ": Permission denied") !=
                   std::string::npos;
    };
    if (geteuid() != 0) {
        CHECK(attempt());
        return;
    }
    // Root reads anything: the compile runs in a child that has become nobody.
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        constexpr uid_t kNobody = 65534;
        if (setgid(kNobody) != 0 || setuid(kNobody) != 0) _exit(2);
        _exit(attempt() ? 0 : 1);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("content: limits give clear errors") {
    TempTree t;
    t.write("www/big.bin", std::string(2000, 'b'));
    t.write("www/a.txt", "a");
    t.write("www/b.txt", "b");
    t.write("www/" + std::string(60, 'p') + "/x.txt", "deep");

    content::ContentOptions options;
    options.limits.max_object_bytes = 1999;
    auto result = content::compile_content({site_of(t)}, options);
    CHECK_FALSE(result.ok);
    CHECK(has_message(result.errors, (t.dir / "www/big.bin").string() +
                                         ": 2000 bytes, above the limit of 1999 bytes"));

    options = {};
    options.limits.max_objects = 2;
    result = content::compile_content({site_of(t)}, options);
    CHECK(has_message(result.errors, "more than 2 objects"));

    options = {};
    options.limits.max_total_bytes = 1000;
    result = content::compile_content({site_of(t)}, options);
    CHECK(has_message(result.errors, "more than 1000 bytes of bodies"));

    options = {};
    options.limits.max_path_length = 40;
    result = content::compile_content({site_of(t)}, options);
    CHECK(has_message(result.errors, "request path of 61 bytes, above the limit of 40"));
}
