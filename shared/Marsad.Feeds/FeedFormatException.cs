namespace Marsad.Feeds;

/// <summary>A feed (or a list of feeds) could not be read; the message says why, for the feed's health record or the user.</summary>
public sealed class FeedFormatException(string message, Exception? inner = null) : Exception(message, inner);
