"""The book's shared helper package: small modules, each named after one concept.

=====================  =========================================================
module                 what it holds
=====================  =========================================================
``checks``             argument checks: one clear message naming the parameter
``reproducibility``    one call that seeds everything; initialisation; CPU threads
``datasets``           every data set: bundled digits, vendored MNIST, synthetic sets
``mnist``              the vendored 10,000 MNIST digits; an optional full-MNIST download
``text``               the vendored text corpus, characters as ids, random windows
``ngrams``             character n-gram models, KL divergence and cross-entropy
``representations``    CKA, dimensions, filter shapes, unit ablation: layers in numbers
``training``           the book's one training loop and its history
``optim``              SGD, Adam, AdamW: torch.optim's arithmetic without its slow import
``ensembles``          many small MLPs trained as one: ``train_ensemble``, probes
``plotting``           the figure style, colours per concept and role, ``plot_runs``
``explorers``          a slider view that works live and in the static book
``claims``             measured claims, checked and tabulated in every build
``exercises``          exercises that check themselves: right, or a hint (never the answer)
``timing``             each cell's seconds, measured in the chapter's kernel
``random_matrices``    the Marchenko-Pastur law of sample covariance spectra
``interpolation_risk`` test risk of minimum-norm and ridge regression
``matrix_products``    deep linear networks: products of matrices and their gradients
``completion``         matrix completion: masks, effective rank, least nuclear norm
``hypercube``          the Boolean cube, its parities and the Walsh-Hadamard transform
``modular``            modular-addition facts, a batched embedding MLP, Fourier measures
``weight_space``       permutations, unit matching, paths and loss barriers between networks
``learning_order``     pairwise accuracy, rank agreement, label noise
``information``        plug-in entropies and mutual information of discrete variables
=====================  =========================================================
"""

__version__ = "0.1.0"
