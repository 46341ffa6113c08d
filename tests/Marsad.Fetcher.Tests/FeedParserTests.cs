using System.Text;
using Marsad.Feeds;

namespace Marsad.Fetcher.Tests;

public sealed class FeedParserTests
{
    private static readonly Uri FeedAddress = new("https://news.example/feeds/world.xml");

    private static ParsedFeed Parse(string xml, Encoding? encoding = null) =>
        FeedParser.Parse((encoding ?? Encoding.UTF8).GetBytes(xml), FeedAddress);

    [Fact]
    public void Keeps_each_item_s_picture_from_enclosures_and_media_rss()
    {
        var feed = Parse("""
            <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>صور</title>
              <item><title>enclosure</title><link>/a</link><enclosure url="/img/a.jpg" type="image/jpeg" length="1"/></item>
              <item><title>podcast</title><link>/b</link><enclosure url="https://cdn.example/b.mp3" type="audio/mpeg" length="1"/></item>
              <item><title>media content</title><link>/c</link><media:content url="https://cdn.example/c.webp" medium="image"/></item>
              <item><title>media group thumbnail</title><link>/d</link><media:group><media:content url="https://cdn.example/d.mp4" type="video/mp4"/><media:thumbnail url="https://cdn.example/d.jpg"/></media:group></item>
              <item><title>none</title><link>/e</link></item>
            </channel></rss>
            """);
        Assert.Equal(
            ["https://news.example/img/a.jpg", null, "https://cdn.example/c.webp", "https://cdn.example/d.jpg", null],
            feed.Items.Select(item => item.Image?.AbsoluteUri));

        var atom = Parse("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
              <entry><title>x</title><id>urn:x</id><link href="https://news.example/x"/><link rel="enclosure" type="image/png" href="https://cdn.example/x.png"/><updated>2024-01-01T00:00:00Z</updated></entry>
            </feed>
            """);
        Assert.Equal("https://cdn.example/x.png", Assert.Single(atom.Items).Image?.AbsoluteUri);
    }

    [Fact]
    public void Reads_json_feed_1_1_and_1_0()
    {
        var feed = Parse("""
            {
              "version": "https://jsonfeed.org/version/1.1",
              "title": "موجز الأخبار",
              "items": [
                { "id": "1", "url": "/2024/nato.html", "title": "الناتو يجتمع في بروكسل", "content_html": "<p>نص</p>",
                  "date_published": "2024-03-01T10:00:00+02:00", "authors": [{ "name": "مراسل" }], "image": "/img/nato.jpg" },
                { "id": 2, "external_url": "https://other.example/story", "content_text": "بلا عنوان",
                  "attachments": [{ "url": "https://cdn.example/p.png", "mime_type": "image/png" }] }
              ]
            }
            """);
        Assert.Equal("موجز الأخبار", feed.Title);
        Assert.Equal(2, feed.Items.Count);
        var first = feed.Items[0];
        Assert.Equal("https://news.example/2024/nato.html", first.Link?.AbsoluteUri);
        Assert.Equal("الناتو يجتمع في بروكسل", first.Title);
        Assert.Equal("<p>نص</p>", first.Summary);
        Assert.Equal("مراسل", first.Author);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero), first.Published);
        Assert.Equal("https://news.example/img/nato.jpg", first.Image?.AbsoluteUri);
        var second = feed.Items[1];
        Assert.Equal("https://other.example/story", second.Link?.AbsoluteUri);
        Assert.Equal("2", second.Guid);
        Assert.Null(second.Title);
        Assert.Equal("بلا عنوان", second.Summary);
        Assert.Equal("https://cdn.example/p.png", second.Image?.AbsoluteUri);

        var version1 = Parse("""{ "version": "https://jsonfeed.org/version/1", "title": "t", "items": [{ "id": "a", "url": "https://news.example/a", "author": { "name": "me" } }] }""");
        Assert.Equal("me", Assert.Single(version1.Items).Author);
    }

    [Theory]
    [InlineData("{ \"title\": \"no version\", \"items\": [] }", "Not a readable JSON Feed")]
    [InlineData("{ \"version\": \"https://jsonfeed.org/version/1\", ", "Not a readable JSON Feed")]
    public void Json_that_is_not_a_json_feed_is_a_clear_error(string json, string reason)
    {
        var error = Assert.Throws<FeedFormatException>(() => Parse(json));
        Assert.StartsWith(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_rss_2()
    {
        var feed = Parse("""
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>World</title><link>https://news.example/</link>
              <item><title>First</title><link>https://news.example/a/1</link><description>One</description>
                <pubDate>Fri, 07 Jan 2022 10:00:00 GMT</pubDate><author>desk@news.example</author></item>
              <item><title>Second</title><link>https://news.example/a/2</link></item>
            </channel></rss>
            """);
        Assert.Equal("World", feed.Title);
        Assert.Equal(2, feed.Items.Count);
        var first = feed.Items[0];
        Assert.Equal(new Uri("https://news.example/a/1"), first.Link);
        Assert.Equal("First", first.Title);
        Assert.Equal("One", first.Summary);
        Assert.Equal(new DateTimeOffset(2022, 1, 7, 10, 0, 0, TimeSpan.Zero), first.Published);
    }

    [Fact]
    public void Reads_rss_1_rdf()
    {
        var feed = Parse("""
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="https://news.example/"><title>RDF news</title><link>https://news.example/</link><description>d</description></channel>
              <item rdf:about="https://news.example/r/1"><title>Un</title><link>https://news.example/r/1</link>
                <description>Premier</description><dc:date>2022-01-08T09:00:00Z</dc:date></item>
            </rdf:RDF>
            """);
        Assert.Equal("RDF news", feed.Title);
        var item = Assert.Single(feed.Items);
        Assert.Equal(new Uri("https://news.example/r/1"), item.Link);
        Assert.Equal("Un", item.Title);
        Assert.Equal("Premier", item.Summary);
        Assert.Equal(new DateTimeOffset(2022, 1, 8, 9, 0, 0, TimeSpan.Zero), item.Published);
    }

    [Fact]
    public void Reads_atom_with_relative_links_against_the_feed_address()
    {
        var feed = Parse("""
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title><id>urn:x</id><updated>2022-01-07T15:00:00Z</updated>
              <entry><title>Relative</title><id>urn:x:1</id><link rel="alternate" href="../articles/7.html"/>
                <updated>2022-01-07T15:00:00Z</updated><summary>S</summary></entry>
            </feed>
            """);
        var item = Assert.Single(feed.Items);
        Assert.Equal(new Uri("https://news.example/articles/7.html"), item.Link);
        Assert.Equal("Relative", item.Title);
    }

    [Fact]
    public void Keeps_cdata_markup_in_the_summary_for_the_parser_to_clean()
    {
        var feed = Parse("""
            <rss version="2.0"><channel><title>t</title>
              <item><title><![CDATA[عنوان & رمز]]></title><link>https://news.example/c</link>
                <description><![CDATA[<p>نص <b>الخبر</b></p>]]></description></item>
            </channel></rss>
            """);
        var item = Assert.Single(feed.Items);
        Assert.Equal("عنوان & رمز", item.Title);
        Assert.Equal("<p>نص <b>الخبر</b></p>", item.Summary);
    }

    [Fact]
    public void An_item_without_a_date_has_none_rather_than_a_made_up_one()
    {
        var feed = Parse("""<rss version="2.0"><channel><title>t</title><item><title>x</title><link>https://news.example/x</link></item></channel></rss>""");
        Assert.Null(Assert.Single(feed.Items).Published);
    }

    [Fact]
    public void Decodes_a_windows_1256_feed_by_its_xml_declaration()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var xml = """
            <?xml version="1.0" encoding="windows-1256"?>
            <rss version="2.0"><channel><title>أخبار</title><item><title>روسيا وأوكرانيا</title><link>https://news.example/w</link></item></channel></rss>
            """;
        var feed = Parse(xml, Encoding.GetEncoding("windows-1256"));
        Assert.Equal("أخبار", feed.Title);
        Assert.Equal("روسيا وأوكرانيا", Assert.Single(feed.Items).Title);
    }

    [Fact]
    public void Decodes_an_arabic_windows_1256_feed_that_declares_no_encoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var xml = """<rss version="2.0"><channel><title>أخبار اليوم</title><item><title>روسيا وأوكرانيا والناتو</title><link>https://news.example/w</link></item></channel></rss>""";
        var feed = Parse(xml, Encoding.GetEncoding("windows-1256"));
        Assert.Equal("أخبار اليوم", feed.Title);
        Assert.Equal("روسيا وأوكرانيا والناتو", Assert.Single(feed.Items).Title);
    }

    [Fact]
    public void The_charset_the_server_names_decides_for_a_feed_that_declares_none()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding("windows-1251").GetBytes("""<rss version="2.0"><channel><title>Новости</title><item><title>НАТО и Украина</title><link>https://news.example/r</link></item></channel></rss>""");
        Assert.Equal("НАТО и Украина", Assert.Single(FeedParser.Parse(bytes, new Uri("https://news.example/rss"), "text/xml; charset=windows-1251").Items).Title);
        // Without it the bytes are guessed, and Cyrillic is not among the guesses.
        Assert.NotEqual("НАТО и Украина", Assert.Single(FeedParser.Parse(bytes, new Uri("https://news.example/rss")).Items).Title);
    }

    [Fact]
    public void Decodes_a_latin_1_feed_that_declares_no_encoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var feed = Parse("""<rss version="2.0"><channel><title>Notícias</title><item><title>Mãe é presidente</title><link>https://news.example/p</link></item></channel></rss>""", Encoding.GetEncoding("iso-8859-1"));
        Assert.Equal("Mãe é presidente", Assert.Single(feed.Items).Title);
    }

    [Fact]
    public void Reads_a_feed_with_text_before_its_declaration_and_html_entities_xml_does_not_define()
    {
        var feed = Parse("\n  <?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>t</title><item><title>Caf&eacute;&nbsp;news &amp; more</title><link>https://news.example/c</link></item></channel></rss>");
        Assert.Equal("Café\u00A0news & more", Assert.Single(feed.Items).Title);
    }

    [Fact]
    public void A_remote_feed_cannot_point_items_at_local_files()
    {
        var feed = Parse("""<rss version="2.0"><channel><title>t</title><item><title>x</title><link>file:///etc/passwd</link></item></channel></rss>""");
        Assert.Null(Assert.Single(feed.Items).Link);
    }

    [Theory]
    [InlineData("<html><body>not a feed</body></html>")]
    [InlineData("<rss version=\"2.0\"><channel><title>broken")]
    [InlineData("")]
    public void Malformed_input_is_a_clear_feed_format_error(string content)
    {
        var error = Assert.Throws<FeedFormatException>(() => Parse(content));
        Assert.StartsWith("Not a readable RSS or Atom feed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entity_expansion_bombs_are_refused_not_expanded()
    {
        var levels = string.Concat(Enumerable.Range(1, 9).Select(level => $"<!ENTITY lol{level} \"{string.Concat(Enumerable.Repeat($"&lol{level - 1};", 10))}\">"));
        var bomb = $"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{levels}]><rss version="2.0"><channel><title>&lol9;</title></channel></rss>""";
        var error = Assert.Throws<FeedFormatException>(() => Parse(bomb));
        Assert.Contains("MaxCharactersFromEntities", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entities_a_feed_declares_for_itself_are_expanded_and_none_is_fetched()
    {
        var feed = Parse("""
            <?xml version="1.0"?>
            <!DOCTYPE rss SYSTEM "http://my.netscape.com/publish/formats/rss-0.91.dtd" [<!ENTITY site "tag:example.com,2006:">]>
            <rss version="2.0"><channel><title>Local</title><item><title>x</title><guid>&site;/blog</guid><link>https://news.example/x</link></item></channel></rss>
            """);
        Assert.Equal("tag:example.com,2006:/blog", Assert.Single(feed.Items).Guid);
    }

    [Fact]
    public void Mends_bare_ampersands_and_reads_latin_1_declarations_as_windows_1252()
    {
        var links = Parse("""<rss version="2.0"><channel><title>t</title><item><title>x</title><link>https://news.example/get?a=1&b=2</link></item></channel></rss>""");
        Assert.Equal("https://news.example/get?a=1&b=2", Assert.Single(links.Items).Link?.OriginalString);
        Assert.True(links.Repaired);

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var quotes = Parse("""<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>t</title><item><title>don’t</title><link>https://news.example/q</link></item></channel></rss>""", Encoding.GetEncoding("windows-1252"));
        Assert.Equal("don’t", Assert.Single(quotes.Items).Title);
        Assert.Equal("iso-8859-1", quotes.Encoding);
        Assert.False(quotes.Repaired);

        // Declared Latin-1, written in UTF-8: the bytes win.
        var stale = Parse("""<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>t</title><item><title>Größe</title><link>https://news.example/s</link></item></channel></rss>""");
        Assert.Equal("Größe", Assert.Single(stale.Items).Title);
        Assert.Equal("utf-8", stale.Encoding);
    }

    [Fact]
    public void A_feed_with_nothing_in_it_yet_is_empty_not_broken()
    {
        var empty = Parse("""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"></rss>""");
        Assert.Empty(empty.Items);
        Assert.Equal("utf-8", empty.Encoding);
    }
}
