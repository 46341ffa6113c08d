using System.Text.RegularExpressions;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Marsad.Search.Analysis;

/// <summary>Whether a token could match any of a <see cref="CaptureGroupFilter"/>'s patterns at all.</summary>
internal delegate bool TokenCandidate(ReadOnlySpan<char> token);

/// <summary>
/// The tokens Lucene's <c>PatternCaptureGroupTokenFilter</c> gives with the original preserved — and Elasticsearch's
/// <c>pattern_capture</c>, which the index template uses — for patterns of one capture group: the token, then each
/// pattern's capture that is neither empty nor the whole token, ordered by where it starts, at the same position.
/// Lucene's filter turns every token into a string, runs every pattern on it and copies its attributes; here a token
/// that <see cref="TokenCandidate"/> rules out (most, and every Latin one) passes untouched, and a string is made only
/// for a token a pattern matches. That was about half the analysis's time and most of its allocation.
/// </summary>
internal sealed class CaptureGroupFilter : TokenFilter
{
    private readonly Regex[] _patterns;
    private readonly TokenCandidate _mayMatch;
    private readonly ICharTermAttribute _term;
    private readonly IPositionIncrementAttribute _position;
    private readonly List<string> _captures = [];
    private int _nextCapture;
    private State? _original;

    public CaptureGroupFilter(TokenStream input, Regex[] patterns, TokenCandidate mayMatch) : base(input)
    {
        _patterns = patterns;
        _mayMatch = mayMatch;
        _term = AddAttribute<ICharTermAttribute>();
        _position = AddAttribute<IPositionIncrementAttribute>();
    }

    public override bool IncrementToken()
    {
        if (_nextCapture < _captures.Count)
        {
            RestoreState(_original);
            _position.PositionIncrement = 0;
            _term.SetEmpty().Append(_captures[_nextCapture++]);
            return true;
        }
        if (!m_input.IncrementToken())
        {
            return false;
        }
        _captures.Clear();
        _nextCapture = 0;
        var token = _term.Buffer.AsSpan(0, _term.Length);
        if (!_mayMatch(token))
        {
            return true;
        }
        string? text = null;
        List<(int Start, string Capture)>? found = null;
        foreach (var pattern in _patterns)
        {
            if (!pattern.IsMatch(token))
            {
                continue;
            }
            text ??= token.ToString();
            var group = pattern.Match(text).Groups[1];
            if (group.Length > 0 && group.Length < text.Length)
            {
                (found ??= []).Add((group.Index, group.Value));
            }
        }
        if (found is not null)
        {
            // Stable, as Lucene's choice of the earliest start is: at equal starts, the earlier pattern first.
            _captures.AddRange(found.OrderBy(capture => capture.Start).Select(capture => capture.Capture));
            _original = CaptureState();
        }
        return true;
    }

    public override void Reset()
    {
        base.Reset();
        _captures.Clear();
        _nextCapture = 0;
        _original = null;
    }
}
