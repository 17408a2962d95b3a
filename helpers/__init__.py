"""The book's shared helper package: small modules, each named after one concept.

=====================  =======================================================
module                 what it holds
=====================  =======================================================
``reproducibility``    one call that seeds everything; device and CPU threads
``data``               the bundled handwritten digits and synthetic data
``mnist``              an optional MNIST loader (downloads only when asked)
``training``           the book's one training loop, its history, (ensemble) minibatches
``ensembles``          many small MLPs trained as one batched model
``plotting``           the book's figure style and its colour per concept
``explorers``          a slider view that works live and in the static book
``claims``             measured claims, checked and tabulated in every build
``random_matrices``    Marchenko-Pastur law (chapter: minimum-norm solutions)
``interpolation_risk`` risk of min-norm and ridge regression (same chapter)
``deep_linear``        products of matrices, their gradients, rank (chapter: deep linear)
``parity``             the hypercube, parities, Walsh-Hadamard (chapter: parities)
``learning_order``     pairwise accuracy, learning speed, forgetting (chapter: what when)
``information``        plug-in entropies and mutual information (chapter: simplicity)
``simplicity``         stripes, LMS and XOR data, randomization (chapter: simplicity)
=====================  =======================================================
"""

__version__ = "0.1.0"
