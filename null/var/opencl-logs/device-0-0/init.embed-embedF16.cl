#pragma OPENCL EXTENSION cl_khr_fp64 : enable  
#pragma OPENCL EXTENSION cl_khr_fp16 : enable  
#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable  
__kernel void embedF16(__global long *_kernel_context, __constant uchar *_constant_region, __local uchar *_local_region, __global int *_atomics, __global uchar *meta, __global uchar *table, __global uchar *x, __private int d)
{
  float f_29; 
  half half_23; 
  long l_20, l_19, l_21, l_8, l_10, l_26, l_9, l_25, l_27; 
  bool b_6; 
  ulong ul_28, ul_1, ul_0, ul_3, ul_2, ul_22, ul_11; 
  int i_15, i_16, i_17, i_18, i_12, i_13, i_14, i_30, i_7, i_24, i_4, i_5; 

  // BLOCK 0
  ul_0  =  (ulong) meta;
  ul_1  =  (ulong) table;
  ul_2  =  (ulong) x;
  ul_3  =  ul_0 + 16L;
  i_4  =  *((__global int *) ul_3);
  i_5  =  get_group_id(0);
  b_6  =  i_5 < i_4;
  if(b_6)
  {
    // BLOCK 1
    i_7  =  i_5 + 2;
    l_8  =  (long) i_7;
    l_9  =  l_8 + 4L;
    l_10  =  l_9 << 2;
    ul_11  =  ul_0 + l_10;
    i_12  =  *((__global int *) ul_11);
    i_13  =  i_12 << 6;
    i_14  =  get_local_size(0);
    i_15  =  i_5 << 6;
    i_16  =  get_local_id(0);
    // BLOCK 2 MERGES [1 3 ]
    i_17  =  i_16;
    for(;i_17 < 64;)
    {
      // BLOCK 3
      i_18  =  i_13 + i_17;
      l_19  =  (long) i_18;
      l_20  =  l_19 + 8L;
      l_21  =  l_20 << 1;
      ul_22  =  ul_1 + l_21;
      half_23  =  *((__global half *) ul_22);
      i_24  =  i_15 + i_17;
      l_25  =  (long) i_24;
      l_26  =  l_25 + 4L;
      l_27  =  l_26 << 2;
      ul_28  =  ul_2 + l_27;
      f_29  =  convert_float((float) half_23);
      *((__global float *) ul_28)  =  f_29;
      i_30  =  i_14 + i_17;
      i_17  =  i_30;
    }  // B2
    // BLOCK 4
  }  // B0
  else
  {
    // BLOCK 5
  }  // B0
  // BLOCK 6 MERGES [5 4 ]
  return;
}  //  kernel
