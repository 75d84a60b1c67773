"""The live plots: weights, mse, prediction against goal, delta; their parts and decimation."""
