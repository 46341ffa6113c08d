namespace Marsad.Hosting;

/// <summary>
/// The message can never succeed as it is (no article text, a page that is not HTML, …). It is not retried: it
/// goes straight to the endpoint's error queue with this reason, where it can be inspected and replayed.
/// </summary>
public sealed class UnprocessableMessageException(string reason) : Exception(reason);
