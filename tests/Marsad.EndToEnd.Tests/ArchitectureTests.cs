using System.Xml.Linq;
using Marsad.Testing;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// The project graph shows the architecture: a service depends on shared libraries only, never on another service
/// (they talk over the bus); shared libraries never on a service or the CLI; and the search library on no hosting.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly string ServicesFolder = Path.Combine(RepoPaths.Root, "services");
    private static readonly string SharedFolder = Path.Combine(RepoPaths.Root, "shared");

    [Fact]
    public void No_service_references_another_service()
    {
        var services = Projects(ServicesFolder);
        Assert.True(services.Count >= 6, $"Expected the six services under {ServicesFolder}, found {services.Count}.");
        var crossings = services
            .SelectMany(project => References(project).Where(reference => IsUnder(reference, ServicesFolder)).Select(reference => $"{Name(project)} → {Name(reference)}"))
            .ToList();
        Assert.True(crossings.Count == 0, "Services reference each other (share through shared/ or a message instead):\n" + string.Join('\n', crossings));
    }

    [Fact]
    public void Services_reference_only_shared_libraries()
    {
        var outside = Projects(ServicesFolder)
            .SelectMany(project => References(project).Where(reference => !IsUnder(reference, SharedFolder)).Select(reference => $"{Name(project)} → {Path.GetRelativePath(RepoPaths.Root, reference)}"))
            .ToList();
        Assert.True(outside.Count == 0, string.Join('\n', outside));
    }

    [Fact]
    public void Shared_libraries_reference_only_shared_libraries()
    {
        var outside = Projects(SharedFolder)
            .SelectMany(project => References(project).Where(reference => !IsUnder(reference, SharedFolder)).Select(reference => $"{Name(project)} → {Path.GetRelativePath(RepoPaths.Root, reference)}"))
            .ToList();
        Assert.True(outside.Count == 0, string.Join('\n', outside));
    }

    [Fact]
    public void The_search_library_does_not_depend_on_hosting()
    {
        var search = Projects(SharedFolder).Single(project => Name(project) == "Marsad.Search");
        Assert.DoesNotContain(References(search), reference => Name(reference) == "Marsad.Hosting");
        Assert.DoesNotContain(PackageReferences(search), package => package.StartsWith("MassTransit", StringComparison.Ordinal) || package.StartsWith("OpenTelemetry", StringComparison.Ordinal));
    }

    private static List<string> Projects(string folder) =>
        Directory.EnumerateFiles(folder, "*.csproj", SearchOption.AllDirectories).Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")).ToList();

    private static IEnumerable<string> References(string project) =>
        XDocument.Load(project).Descendants("ProjectReference")
            .Select(reference => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, reference.Attribute("Include")!.Value.Replace('\\', '/'))));

    private static IEnumerable<string> PackageReferences(string project) =>
        XDocument.Load(project).Descendants("PackageReference").Select(reference => reference.Attribute("Include")!.Value);

    private static bool IsUnder(string path, string folder) => path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string Name(string project) => Path.GetFileNameWithoutExtension(project);
}
