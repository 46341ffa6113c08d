using System.Net;
using System.Net.Sockets;

namespace Marsad.Hosting;

/// <summary>Which private networks alert webhooks may reach (the fetcher has its own two switches).</summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>
    /// Networks in CIDR notation (127.0.0.0/8, 10.1.0.0/16, ::1/128) that outbound requests may reach although they
    /// are loopback, private or link-local. Empty by default: only public addresses.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    public IReadOnlyList<IPNetwork> Networks() => AllowedNetworks.Select(network => IPNetwork.Parse(network)).ToList();
}

/// <summary>Refused: the address a request was to connect to is private, loopback or link-local and not allowed.</summary>
public sealed class OutboundAddressRefusedException(string message) : HttpRequestException(message);

/// <summary>
/// Keeps requests that users point Marsad at (a feed, a webhook URL) away from the machine's own network (server-side
/// request forgery: its admin endpoints, cloud metadata): the host is resolved when each connection is made, and only
/// public addresses, or those in networks a setting allows, are connected to. Checked at connection time, it also
/// covers every redirect and a name that resolves differently the second time it is asked (DNS rebinding).
/// </summary>
public static class OutboundAddressGuard
{
    public static readonly IReadOnlyList<IPNetwork> Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    public static readonly IReadOnlyList<IPNetwork> PrivateAndLinkLocal =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("::/128"), IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"),
    ];

    /// <param name="allowed">Non-public networks that may be reached anyway.</param>
    /// <param name="allowSetting">The setting that allows more, named in the refusal.</param>
    /// <summary>Redirects followed per request; past them the redirect itself is the answer (a loop ends here).</summary>
    public const int MaxRedirects = 5;

    public static SocketsHttpHandler CreateHandler(IReadOnlyList<IPNetwork> allowed, string allowSetting = OutboundOptions.Section + ":AllowedNetworks") => new()
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = MaxRedirects,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
            var permitted = addresses.Where(address => IsPublic(address) || allowed.Any(network => network.Contains(Unmapped(address)))).ToArray();
            if (permitted.Length == 0)
            {
                throw new OutboundAddressRefusedException(
                    $"{host} is {string.Join(", ", addresses.Select(address => address.ToString()))}: loopback, private and link-local addresses are refused ({allowSetting} allows them)");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(permitted, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>True for an address on the public internet: not loopback, private, link-local, shared (CGNAT), multicast or unspecified.</summary>
    public static bool IsPublic(IPAddress address)
    {
        address = Unmapped(address);
        return !NonPublic.Any(network => network.Contains(address));
    }

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    // Loopback, private and link-local, and the reserved, benchmarking and multicast ranges nobody publishes on.
    private static readonly IPNetwork[] NonPublic =
    [
        .. Loopback, .. PrivateAndLinkLocal,
        IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"), IPNetwork.Parse("ff00::/8"),
    ];
}
