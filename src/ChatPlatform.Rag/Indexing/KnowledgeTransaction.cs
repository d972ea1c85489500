using Microsoft.Data.Sqlite;

namespace ChatPlatform.Rag.Indexing;

/// <summary>
/// One unit of work over the knowledge database: a SQLite transaction plus callbacks that run after it commits or
/// rolls back. Index implementations write their rows through <see cref="Transaction"/> (the embedded vector store)
/// or register compensating work (an external store deletes the points it wrote if the SQLite part rolls back).
/// Disposing without <see cref="Commit"/> rolls back.
/// </summary>
public sealed class KnowledgeTransaction : IDisposable
{
    private readonly List<Action> onCommitted = [];
    private readonly List<Action> onRolledBack = [];
    private bool finished;

    internal KnowledgeTransaction(SqliteConnection connection)
    {
        Connection = connection;
        Transaction = connection.BeginTransaction();
    }

    public SqliteConnection Connection { get; }
    public SqliteTransaction Transaction { get; }

    public SqliteCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Runs after a successful commit (e.g. apply the change to an in-memory index).</summary>
    public void OnCommitted(Action action) => onCommitted.Add(action);

    /// <summary>Runs after a rollback (e.g. undo a write to a store outside SQLite).</summary>
    public void OnRolledBack(Action action) => onRolledBack.Add(action);

    public void Commit()
    {
        Transaction.Commit();
        finished = true;
        foreach (var action in onCommitted) action();
    }

    public void Dispose()
    {
        if (!finished)
        {
            finished = true;
            Transaction.Rollback();
            foreach (var action in onRolledBack) action();
        }
        Transaction.Dispose();
        Connection.Dispose();
    }
}
