namespace MLNetExt.Core.Autograd;

/// <summary>
/// Recycled tensor objects that alias another tensor's storage (reshape views). Kept apart from the tape's output
/// arena so a recycled output never writes into storage it does not own.
/// </summary>
internal sealed class ViewArena
{
    private readonly List<Tensor> _views = [];
    private int _cursor;

    public Tensor View(Tensor source, ReadOnlySpan<int> shape)
    {
        Tensor view;
        if (_cursor < _views.Count)
        {
            view = _views[_cursor];
            view.Alias(source.Data, shape);
        }
        else
        {
            view = new Tensor(source.Data, shape);
            _views.Add(view);
        }
        _cursor++;
        view.RequiresGrad = false;
        return view;
    }

    public void Reset() => _cursor = 0;
}
