namespace Velero.Sdk.Filtering;

/// <summary>The operator of one label selector requirement.</summary>
public enum LabelOperator
{
    /// <summary><c>key=value</c>: the label exists and equals the value.</summary>
    Equals,

    /// <summary><c>key==value</c>: the same as <see cref="Equals"/>.</summary>
    DoubleEquals,

    /// <summary><c>key!=value</c>: the label is absent or differs from the value.</summary>
    NotEquals,

    /// <summary><c>key in (a,b)</c>: the label exists and is one of the values.</summary>
    In,

    /// <summary><c>key notin (a,b)</c>: the label is absent or none of the values.</summary>
    NotIn,

    /// <summary><c>key</c>: the label exists.</summary>
    Exists,

    /// <summary><c>!key</c>: the label does not exist.</summary>
    DoesNotExist,

    /// <summary><c>key&gt;n</c>: the label exists, is an integer and is greater than n.</summary>
    GreaterThan,

    /// <summary><c>key&lt;n</c>: the label exists, is an integer and is less than n.</summary>
    LessThan,
}
