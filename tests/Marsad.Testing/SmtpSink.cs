using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Marsad.Testing;

/// <summary>
/// A real SMTP server on 127.0.0.1 that keeps every message it receives in a Maildir: Debian's python3-aiosmtpd
/// (installed by test.sh), run with its Mailbox handler. A test that needs it and cannot start it fails, saying why.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly RunningProcess _server;
    private readonly TemporaryDirectory _maildir;

    private SmtpSink(RunningProcess server, TemporaryDirectory maildir, int port)
    {
        _server = server;
        _maildir = maildir;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SmtpSink> StartAsync()
    {
        var check = await ProcessRunner.RunAsync(Python, ["-c", "import aiosmtpd"], TimeSpan.FromSeconds(30));
        if (check.ExitCode != 0)
        {
            throw new InvalidOperationException($"The SMTP sink needs Debian's python3-aiosmtpd ({Python} -c 'import aiosmtpd' failed: {check.StandardError.Trim()}); test.sh installs it.");
        }
        var maildir = new TemporaryDirectory();
        var port = FreePort();
        var server = RunningProcess.Start("aiosmtpd", Python, ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", Path.Combine(maildir.Path, "mail")]);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new SmtpSink(server, maildir, port);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !server.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                await server.DisposeAsync();
                maildir.Dispose();
                throw new InvalidOperationException($"aiosmtpd did not listen on 127.0.0.1:{port}:\n{server.Output}");
            }
        }
    }

    /// <summary>Every message received so far, parsed.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var folder = Path.Combine(_maildir.Path, "mail", "new");
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(file => MimeMessage.Load(file)).ToList()
            : [];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _maildir.Dispose();
    }
}
