namespace HybridDiffusion.Analysis.Diversity.Distribution;

/// <summary>
/// The mean and covariance of feature vectors accumulated as they arrive, in double precision, so a reference set of
/// 50,000 Inception features (2048 floats each, 400 MB) never has to be held: memory is the D × D scatter matrix plus
/// one block of rows, whatever the count. Partial accumulators (one per shard or worker) merge exactly.
/// </summary>
/// <remarks>
/// Rows are buffered into blocks; each block's own mean and centred scatter are merged into the running ones by the
/// pairwise formula of Chan, Golub and LeVeque: M = Ma + Mb + δδᵀ·na·nb/n with δ = mean_b − mean_a. Centring on each
/// block's mean before the products keeps the cancellation of the textbook Σxxᵀ − n·μμᵀ out (features such as pool3
/// activations have means large against their spread), and the block's products are one SIMD row-product pass
/// instead of one rank-one update per vector. An instance is not thread-safe: give each producer its own and merge them.
/// </remarks>
public sealed class FeatureMoments
{
    private readonly double[] _mean;
    private readonly double[] _scatter;
    private readonly double[] _block;
    private readonly int _blockRows;
    private int _pending;
    private long _merged;

    /// <param name="dimension">D, the length of every feature vector.</param>
    /// <param name="blockRows">Rows per block: larger blocks run the products faster, at D × blockRows doubles of buffer.</param>
    public FeatureMoments(int dimension, int blockRows = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockRows, 1);
        Dimension = dimension;
        _blockRows = blockRows;
        _mean = new double[dimension];
        _scatter = new double[(long)dimension * dimension];
        _block = new double[(long)dimension * blockRows];
    }

    public int Dimension { get; }

    /// <summary>Vectors added so far, merged ones included.</summary>
    public long Count => _merged + _pending;

    /// <summary>Adds one feature vector.</summary>
    public void Add(ReadOnlySpan<float> features)
    {
        if (features.Length != Dimension)
        {
            throw new ArgumentException($"A feature vector has {features.Length} values; this set's have {Dimension}.", nameof(features));
        }
        for (int j = 0; j < Dimension; j++)
        {
            if (!float.IsFinite(features[j]))
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"Feature {j} of a vector is not a finite number: the embedding model gave NaN or infinity.");
            }
            // Stored transposed (feature-major), so each feature's values over the block are one contiguous row.
            _block[(long)j * _blockRows + _pending] = features[j];
        }
        if (++_pending == _blockRows)
        {
            Flush();
        }
    }

    /// <summary>Adds every row of a row-major batch (rows × D), such as an embedding model's [batch, D] output.</summary>
    public void AddRows(ReadOnlySpan<float> rows)
    {
        if (rows.Length % Dimension != 0)
        {
            throw new ArgumentException($"A batch of {rows.Length} values is not a whole number of {Dimension}-value rows.", nameof(rows));
        }
        for (int start = 0; start < rows.Length; start += Dimension)
        {
            Add(rows.Slice(start, Dimension));
        }
    }

    /// <summary>Adds everything <paramref name="other"/> holds (which is left as it was, apart from its buffer being folded in).</summary>
    public void Merge(FeatureMoments other)
    {
        if (other.Dimension != Dimension)
        {
            throw new ArgumentException($"Moments of {other.Dimension}-value vectors cannot merge into moments of {Dimension}-value ones.", nameof(other));
        }
        Flush();
        other.Flush();
        TensorPrimitives.Add<double>(_scatter, other._scatter, _scatter);
        MergeMeans(other._merged, other._mean);
    }

    /// <summary>The mean and unbiased covariance of everything added.</summary>
    /// <param name="what">The set in words, for the message when it has fewer than two vectors ("reference").</param>
    public FeatureStatistics ToStatistics(string what)
    {
        if (Count < 2)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidArgument,
                Count == 0
                    ? $"The {what} set is empty: a distribution needs at least two images."
                    : $"The {what} set has one image: a covariance needs at least two.");
        }
        Flush();
        double scale = 1.0 / (Count - 1);
        var covariance = new double[_scatter.Length];
        for (long i = 0; i < covariance.Length; i++)
        {
            covariance[i] = _scatter[i] * scale;
        }
        return new FeatureStatistics((double[])_mean.Clone(), covariance, Count);
    }

    private void Flush()
    {
        if (_pending == 0)
        {
            return;
        }
        int rows = _pending, d = Dimension;
        var blockMean = new double[d];
        Parallel.For(0, d, j =>
        {
            // Centred in place: the block buffer is free again once its products are taken.
            var values = _block.AsSpan(j * _blockRows, rows);
            double mean = TensorPrimitives.Sum<double>(values) / rows;
            blockMean[j] = mean;
            TensorPrimitives.Subtract(values, mean, values);
        });
        // The block's centred scatter goes straight into the running one; the merge adds the rest (δδᵀ·na·nb/n).
        RowProducts.AddSymmetric(_block, d, _blockRows, rows, _scatter);
        _pending = 0;
        MergeMeans(rows, blockMean);
    }

    // Chan et al.'s pairwise update, after the other part's scatter has been added: the term δδᵀ·na·nb/n, then the mean.
    private void MergeMeans(long otherCount, double[] otherMean)
    {
        if (otherCount == 0)
        {
            return;
        }
        long total = _merged + otherCount;
        int d = Dimension;
        var delta = new double[d];
        TensorPrimitives.Subtract<double>(otherMean, _mean, delta);
        double weight = (double)_merged * otherCount / total;
        Parallel.For(0, d, () => new double[d], (i, _, outer) =>
        {
            var row = _scatter.AsSpan(i * d, d);
            // (δⱼδᵢ)·w, not δⱼ·(δᵢw): the same rounding for (i, j) and (j, i) keeps the matrix exactly symmetric.
            TensorPrimitives.Multiply(delta, delta[i], outer);
            TensorPrimitives.MultiplyAdd(outer, weight, row, row);
            return outer;
        }, _ => { });
        TensorPrimitives.MultiplyAdd<double>(delta, (double)otherCount / total, _mean, _mean);
        _merged = total;
    }
}
