using System.Reflection;
using Cutover.Backfill.Transforms;

namespace Cutover.Backfill.Jobs;

/// <summary>
/// Loads the job file's <c>transform</c>: the assembly (a path relative to the job file) and a type
/// in it implementing <see cref="IRowTransform"/>, made with its public parameterless constructor.
/// Each way it can fail is reported against the line that names it.
/// </summary>
internal static class TransformLoader
{
    /// <summary>The transform and the assembly's full path, or null after reporting why it cannot be loaded.</summary>
    public static (IRowTransform Transform, string Path)? Load(TransformConfig config, string folder, Action<int, string, string> error)
    {
        var assemblyText = config.Assembly?.Text.Trim() ?? string.Empty;
        var typeName = config.Type?.Text.Trim() ?? string.Empty;
        if (assemblyText.Length == 0)
        {
            error(config.Assembly?.Line ?? config.Line, "transform.assembly", "is missing; give the path of the class library that holds the transform, relative to the job file, e.g. 'assembly: ./MyTransforms.dll'");
        }

        if (typeName.Length == 0)
        {
            error(config.Type?.Line ?? config.Line, "transform.type", "is missing; give the full name of a class implementing Cutover.Backfill.Transforms.IRowTransform, e.g. 'type: MyCompany.Transforms.NormaliseEmail'");
        }

        if (assemblyText.Length == 0 || typeName.Length == 0)
        {
            return null;
        }

        var path = Path.GetFullPath(assemblyText, folder);
        var assemblyLine = config.Assembly!.Line;
        if (!File.Exists(path))
        {
            error(assemblyLine, "transform.assembly", $"'{assemblyText}' is not found (looked for {path}); build the transform's project and give the path of its .dll relative to the job file");
            return null;
        }

        Assembly assembly;
        try
        {
            assembly = Assembly.LoadFrom(path);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException)
        {
            error(assemblyLine, "transform.assembly", $"'{assemblyText}' cannot be loaded ({e.Message.TrimEnd('.')}); give a .NET class library built for net10.0");
            return null;
        }

        var typeLine = config.Type!.Line;
        if (assembly.GetType(typeName) is not { } type)
        {
            var candidates = assembly.GetExportedTypes().Where(t => typeof(IRowTransform).IsAssignableFrom(t) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null).Select(t => t.FullName).ToList();
            error(typeLine, "transform.type", $"'{typeName}' is not a type in {Path.GetFileName(path)}; give the full name with its namespace" +
                (candidates.Count == 0 ? "; the assembly has no public class implementing IRowTransform with a public parameterless constructor" : $": it has {string.Join(", ", candidates)}"));
            return null;
        }

        if (!typeof(IRowTransform).IsAssignableFrom(type))
        {
            error(typeLine, "transform.type", $"'{typeName}' does not implement Cutover.Backfill.Transforms.IRowTransform; name a class that does");
            return null;
        }

        if (type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is not { IsPublic: true } constructor)
        {
            error(typeLine, "transform.type", $"'{typeName}' has no public parameterless constructor; add one: the backfill makes the transform with it, once per run");
            return null;
        }

        try
        {
            return ((IRowTransform)constructor.Invoke(null), path);
        }
        catch (TargetInvocationException e)
        {
            error(typeLine, "transform.type", $"'{typeName}' could not be made: its constructor threw {e.InnerException?.GetType().Name}: {e.InnerException?.Message.TrimEnd('.')}");
            return null;
        }
    }
}
