using System.Net;
using System.Net.Sockets;

namespace Marsad.Fetcher;

/// <summary>
/// Refuses connections to loopback, private and link-local addresses (server-side request forgery: a feed must not
/// make Marsad fetch its own admin endpoints or cloud metadata). Checked on the resolved address of every
/// connection, so a redirect or a DNS name pointing inside is caught too.
/// </summary>
public sealed class AddressGuard(bool allowLoopback, bool allowPrivateNetworks)
{
    public void EnsureAllowed(IPAddress address, string host)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            if (!allowLoopback)
            {
                throw new AddressNotAllowedException($"{host} resolves to the loopback address {address}; set Fetcher:AllowLoopback to allow it.");
            }
            return;
        }
        if (IsPrivateOrLinkLocal(address) && !allowPrivateNetworks)
        {
            throw new AddressNotAllowedException($"{host} resolves to the private or link-local address {address}; set Fetcher:AllowPrivateNetworks to allow it.");
        }
    }

    /// <summary>A connect callback for <see cref="SocketsHttpHandler"/> that resolves, checks, then connects.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"{host} has no address.");
        }
        foreach (var address in addresses)
        {
            EnsureAllowed(address, host);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool IsPrivateOrLinkLocal(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal
                || address.Equals(IPAddress.IPv6Any);
        }
        var bytes = address.GetAddressBytes();
        return bytes[0] switch
        {
            0 => true,
            10 => true,
            100 => bytes[1] >= 64 && bytes[1] <= 127, // carrier-grade NAT
            169 => bytes[1] == 254,
            172 => bytes[1] >= 16 && bytes[1] <= 31,
            192 => bytes[1] == 168,
            _ => false,
        };
    }
}

public sealed class AddressNotAllowedException(string message) : HttpRequestException(message);
