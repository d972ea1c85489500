using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

// Usage: BlazorWebScript OUT.js
// Writes the "_framework/blazor.web.js" manifest resource of ASP.NET Core 9.0.22's Components.Endpoints assembly
// (downloaded by this project's PackageDownload) to OUT.js.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: BlazorWebScript OUT.js");
    return 2;
}
const string ResourceName = "_framework/blazor.web.js";
var package = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RuntimePackage").Value!;
var assembly = Path.Combine(package, "runtimes/linux-x64/lib/net9.0/Microsoft.AspNetCore.Components.Endpoints.dll");
if (!File.Exists(assembly))
{
    Console.Error.WriteLine($"error: {assembly} not found; restore tools/BlazorWebScript (PackageDownload Microsoft.AspNetCore.App.Runtime.linux-x64 9.0.22)");
    return 1;
}

using var pe = new PEReader(File.OpenRead(assembly));
var metadata = pe.GetMetadataReader();
var resources = pe.GetSectionData(pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress);
foreach (var handle in metadata.ManifestResources)
{
    var resource = metadata.GetManifestResource(handle);
    if (metadata.GetString(resource.Name) != ResourceName) continue;
    // An embedded resource is a 4-byte little-endian length followed by the bytes (ECMA-335 II.24.2.4).
    var reader = resources.GetReader((int)resource.Offset, resources.Length - (int)resource.Offset);
    var bytes = reader.ReadBytes(reader.ReadInt32());
    var output = Path.GetFullPath(args[0]);
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    var temp = output + ".tmp";
    File.WriteAllBytes(temp, bytes);
    File.Move(temp, output, overwrite: true);
    Console.WriteLine($"wrote {output} ({bytes.Length} bytes) from {Path.GetFileName(assembly)} 9.0.22");
    return 0;
}
Console.Error.WriteLine($"error: {assembly} has no resource {ResourceName}");
return 1;
